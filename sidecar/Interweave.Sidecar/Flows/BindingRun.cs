using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using CsvHelper;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Flows;

/// <summary>
/// The binding run (seed 000, steps 5-7): before any sync creates records, existing Creatio accounts are paired with
/// Intacct customers, and products with items, by exact normalized name. A dry run reports; a commit writes the pairs
/// an admin accepted, in batches, both ways (ACCOUNTID/PRODUCTID in Intacct, the Intacct id in Creatio). It never
/// creates a record and never moves an existing link: anything linked on either side, or in the sidecar's bindings,
/// is left alone, and a link that does not agree is reported.
/// </summary>
public sealed class BindingRun(FlowConnections connections, BindingRepository bindings, BindingReportRepository reports, TimeProvider time, ILogger<BindingRun> log)
{
    public static readonly IReadOnlyList<string> Kinds = [BindingKinds.AccountCustomer, BindingKinds.ProductItem];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record CreatioSide(string Id, string Name, string? NamesIntacct);

    private sealed record IntacctSide(string Id, string Name, string? NamesCreatio, string? RecordNo);

    public async Task<BindingReport> DryRunAsync(string kind, CancellationToken cancellationToken)
    {
        var pair = PairOf(kind);
        var (creatio, intacct) = await connections.ConnectAsync(cancellationToken);
        var creatioRecords = new List<CreatioSide>();
        await foreach (var row in creatio.QueryAllAsync(pair.CreatioEntity, new CreatioQuery(Select: ["Id", "Name", pair.IntacctIdColumn]), cancellationToken: cancellationToken))
            creatioRecords.Add(new CreatioSide((string)row["Id"]!, (string?)row["Name"] ?? "", NonEmpty((string?)row[pair.IntacctIdColumn])));
        var intacctRecords = new List<IntacctSide>();
        await foreach (var record in intacct.ReadByQueryAsync(pair.IntacctObject, null, $"RECORDNO,{pair.IdField},NAME,{pair.KeyField}", cancellationToken: cancellationToken))
            intacctRecords.Add(new IntacctSide(record.Element(pair.IdField)?.Value ?? "", record.Element("NAME")?.Value ?? "", NonEmpty(record.Element(pair.KeyField)?.Value),
                record.Element("RECORDNO")?.Value));
        var stored = (await bindings.ListAsync(kind, cancellationToken)).Where(b => b.IntacctId is not null).ToList();

        var report = Compare(pair, creatioRecords, intacctRecords, stored.ToDictionary(b => b.CreatioId, b => b.IntacctId!, StringComparer.OrdinalIgnoreCase), time.GetUtcNow());
        var id = await reports.AddAsync(kind, report.CreatedAt, JsonSerializer.Serialize(report, Json), cancellationToken);
        report = report with { Id = id };
        await reports.SetReportAsync(id, JsonSerializer.Serialize(report, Json), cancellationToken);
        log.LogInformation("Binding run {ReportId} ({Kind}): {Matched} matched, {Ambiguous} ambiguous, {UnmatchedCreatio} + {UnmatchedIntacct} unmatched, {Disagreements} disagreements",
            id, kind, report.Counts.Matched, report.Counts.Ambiguous, report.Counts.UnmatchedCreatio, report.Counts.UnmatchedIntacct, report.Counts.Disagreements);
        return report;
    }

    /// <summary>The comparison itself, on records already read: what is linked (and whether the links agree), then what matches by name.</summary>
    private static BindingReport Compare(PairedObjects pair, IReadOnlyList<CreatioSide> creatioRecords, IReadOnlyList<IntacctSide> intacctRecords,
        IReadOnlyDictionary<string, string> stored, DateTimeOffset now)
    {
        var creatioById = creatioRecords.ToDictionary(c => c.Id, StringComparer.OrdinalIgnoreCase);
        var intacctById = intacctRecords.Where(i => i.Id.Length > 0).ToDictionary(i => i.Id, StringComparer.Ordinal);
        var storedByIntacct = stored.GroupBy(b => b.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Key, StringComparer.Ordinal);
        var linkedCreatio = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var linkedIntacct = new HashSet<string>(StringComparer.Ordinal);
        var disagreements = new List<BindingDisagreement>();
        var agreed = 0;
        var (entity, objectName) = (pair.CreatioEntity.ToLowerInvariant(), pair.IntacctObject.ToLowerInvariant());

        foreach (var c in creatioRecords.Where(c => c.NamesIntacct is not null || stored.ContainsKey(c.Id)))
        {
            linkedCreatio.Add(c.Id);
            var target = c.NamesIntacct ?? stored[c.Id];
            if (!intacctById.TryGetValue(target, out var i))
            {
                disagreements.Add(new(c.Id, target, c.NamesIntacct is null
                    ? $"The sidecar links {entity} \"{c.Name}\" to Intacct {objectName} {target}, which Intacct does not have."
                    : $"{pair.CreatioEntity} \"{c.Name}\" names Intacct {objectName} {target} in {pair.IntacctIdColumn}, which Intacct does not have."));
                continue;
            }

            linkedIntacct.Add(i.Id);
            var problems = new List<string>();
            if (i.NamesCreatio is null) problems.Add($"Intacct {objectName} {i.Id} has no {pair.KeyField}, so it is not linked (if they belong together, PUT /api/bindings/{pair.Kind}/{c.Id} links them)");
            else if (!string.Equals(i.NamesCreatio, c.Id, StringComparison.OrdinalIgnoreCase)) problems.Add($"Intacct {objectName} {i.Id} names another {entity}, {i.NamesCreatio}, in {pair.KeyField}");
            if (c.NamesIntacct is null) problems.Add($"{pair.CreatioEntity} \"{c.Name}\" has no {pair.IntacctIdColumn} (Sync with Intacct on the {entity} completes the link)");
            if (stored.TryGetValue(c.Id, out var bound) && bound != i.Id) problems.Add($"the sidecar links it to {bound}");
            if (problems.Count == 0) agreed++;
            else disagreements.Add(new(c.Id, i.Id, $"{pair.CreatioEntity} \"{c.Name}\" and Intacct {objectName} {i.Id} disagree: {string.Join("; ", problems)}."));
        }

        foreach (var i in intacctRecords.Where(i => i.NamesCreatio is not null && !linkedIntacct.Contains(i.Id)))
        {
            linkedIntacct.Add(i.Id);
            if (!creatioById.TryGetValue(i.NamesCreatio!, out var c))
            {
                disagreements.Add(new(i.NamesCreatio, i.Id, $"Intacct {objectName} {i.Id} names {entity} {i.NamesCreatio} in {pair.KeyField}, which Creatio does not have."));
                continue;
            }

            linkedCreatio.Add(c.Id);
            disagreements.Add(new(c.Id, i.Id, c.NamesIntacct is null
                ? $"Intacct {objectName} {i.Id} names {entity} \"{c.Name}\", which has no {pair.IntacctIdColumn} (Sync with Intacct on the {entity} completes the link)."
                : $"Intacct {objectName} {i.Id} names {entity} \"{c.Name}\", which names Intacct {objectName} {c.NamesIntacct}."));
        }

        foreach (var (intacctId, creatioId) in storedByIntacct.Where(s => !linkedIntacct.Contains(s.Key))) linkedIntacct.Add(intacctId);

        var creatioByName = creatioRecords.Where(c => !linkedCreatio.Contains(c.Id)).GroupBy(c => NameMatching.Normalize(c.Name)).ToDictionary(g => g.Key, g => g.ToList());
        var intacctByName = intacctRecords.Where(i => !linkedIntacct.Contains(i.Id) && i.Id.Length > 0).GroupBy(i => NameMatching.Normalize(i.Name))
            .ToDictionary(g => g.Key, g => g.ToList());
        var matched = new List<BindingPair>();
        var ambiguous = new List<AmbiguousName>();
        var unmatchedCreatio = new List<BindingCandidate>();
        var unmatchedIntacct = new List<BindingCandidate>();
        foreach (var name in creatioByName.Keys.Union(intacctByName.Keys).Order(StringComparer.Ordinal))
        {
            var cs = creatioByName.GetValueOrDefault(name) ?? [];
            var iss = intacctByName.GetValueOrDefault(name) ?? [];
            if (name.Length == 0 || cs.Count == 0 || iss.Count == 0)
            {
                unmatchedCreatio.AddRange(cs.Select(c => new BindingCandidate(c.Id, c.Name)));
                unmatchedIntacct.AddRange(iss.Select(i => new BindingCandidate(i.Id, i.Name)));
            }
            else if (cs.Count == 1 && iss.Count == 1) matched.Add(new BindingPair(cs[0].Id, cs[0].Name, iss[0].Id, iss[0].Name, name));
            else ambiguous.Add(new AmbiguousName(name, cs.Select(c => new BindingCandidate(c.Id, c.Name)).ToList(), iss.Select(i => new BindingCandidate(i.Id, i.Name)).ToList()));
        }

        return new BindingReport(0, pair.Kind, now, null,
            new BindingReportCounts(matched.Count, ambiguous.Count, unmatchedCreatio.Count, unmatchedIntacct.Count, disagreements.Count, agreed),
            matched, ambiguous, unmatchedCreatio, unmatchedIntacct, disagreements);
    }

    public async Task<BindingReport?> GetAsync(long id, CancellationToken cancellationToken) =>
        await reports.GetAsync(id, cancellationToken) is { } stored ? Parse(stored) : null;

    public async Task<IReadOnlyList<BindingReport>> ListAsync(int limit, CancellationToken cancellationToken) =>
        (await reports.ListAsync(limit, cancellationToken)).Select(Parse).ToList();

    private static BindingReport Parse(StoredBindingReport stored) =>
        JsonSerializer.Deserialize<BindingReport>(stored.Report, Json)! with { CommittedAt = stored.CommittedAt };

    /// <summary>The report as CSV for a spreadsheet: one line per record or pair, by section; cells that a spreadsheet would run as formulas are escaped.</summary>
    public static async Task WriteCsvAsync(BindingReport report, Stream destination, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(destination, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true);
        csv.WriteHeader(["section", "matchedOn", "creatioId", "creatioName", "intacctId", "intacctName", "problem"]);
        foreach (var p in report.Matched) await csv.WriteRecordAsync(["matched", p.MatchedOn, p.CreatioId, p.CreatioName, p.IntacctId, p.IntacctName, ""], cancellationToken);
        foreach (var a in report.Ambiguous)
        {
            foreach (var c in a.Creatio) await csv.WriteRecordAsync(["ambiguous", a.MatchedOn, c.Id, c.Name, "", "", ""], cancellationToken);
            foreach (var i in a.Intacct) await csv.WriteRecordAsync(["ambiguous", a.MatchedOn, "", "", i.Id, i.Name, ""], cancellationToken);
        }

        foreach (var c in report.UnmatchedCreatio) await csv.WriteRecordAsync(["unmatched-creatio", NameMatching.Normalize(c.Name), c.Id, c.Name, "", "", ""], cancellationToken);
        foreach (var i in report.UnmatchedIntacct) await csv.WriteRecordAsync(["unmatched-intacct", NameMatching.Normalize(i.Name), "", "", i.Id, i.Name, ""], cancellationToken);
        foreach (var d in report.Disagreements) await csv.WriteRecordAsync(["disagreement", "", d.CreatioId ?? "", "", d.IntacctId ?? "", "", d.Problem], cancellationToken);
    }

    /// <summary>
    /// Writes the accepted pairs (every matched pair unless <see cref="BindingCommit.Accept"/> names them) once per
    /// report. Each pair is checked again against both systems first: one that got linked meanwhile is skipped.
    /// </summary>
    public async Task<BindingCommitResult> CommitAsync(long reportId, BindingCommit commit, CancellationToken cancellationToken)
    {
        var report = await GetAsync(reportId, cancellationToken)
                     ?? throw new FlowRefusedException(RefusalReason.NotFound, "No such binding run", $"There is no binding run {reportId}.");
        var pair = PairOf(report.Kind);
        var outcomes = new List<BindingCommitOutcome>();
        var choices = Choose(report, commit, outcomes);
        var (creatio, intacct) = await connections.ConnectAsync(cancellationToken);
        if (!await reports.TryBeginCommitAsync(reportId, time.GetUtcNow(), cancellationToken))
            throw new FlowRefusedException(RefusalReason.Busy, "Already committed", $"Binding run {reportId} was committed already; start a new dry run to see what is left.");

        // Both systems as they are now, a request per hundred records.
        var current = await ReadIntacctAsync(intacct, pair, choices.Select(c => c.IntacctId).ToList(), cancellationToken);
        var rows = await creatio.GetManyAsync(pair.CreatioEntity, choices.Select(c => Guid.Parse(c.CreatioId)).ToList(), ["Id", pair.IntacctIdColumn], cancellationToken);
        var ready = new List<(BindingChoice Choice, string? RecordNo)>();
        foreach (var (choice, (row, failure)) in choices.Zip(rows))
        {
            current.TryGetValue(choice.IntacctId, out var record);
            var reason = failure?.Message ?? await WhyNotAsync(report.Kind, pair, choice, row, record, cancellationToken);
            if (reason is null) ready.Add((choice, record!.Element("RECORDNO")?.Value));
            else outcomes.Add(new BindingCommitOutcome(choice.CreatioId, choice.IntacctId, "skipped", reason));
        }

        // Intacct first (the key field), then Creatio (the Intacct id and the sync status), then the sidecar's binding.
        var written = await intacct.ExecuteEachAsync(ready.Select(r => (IntacctFunction)new UpdateRecord(
            new IntacctRecord(pair.IntacctObject).Set(pair.IdField, r.Choice.IntacctId).Set(pair.KeyField, r.Choice.CreatioId))).ToList(), cancellationToken);
        var inIntacct = new List<(BindingChoice Choice, string? RecordNo)>();
        foreach (var (item, (_, failure)) in ready.Zip(written))
        {
            if (failure is null) inIntacct.Add(item);
            else outcomes.Add(new BindingCommitOutcome(item.Choice.CreatioId, item.Choice.IntacctId, "failed", failure.Message));
        }

        var now = time.GetUtcNow();
        var inCreatio = await creatio.WriteManyAsync(inIntacct.Select(r =>
        {
            var values = InterweavePackage.SyncStatus.Synced(now);
            values[pair.IntacctIdColumn] = r.Choice.IntacctId;
            return new CreatioWrite(pair.CreatioEntity, Guid.Parse(r.Choice.CreatioId), values, Create: false);
        }).ToList(), cancellationToken);
        foreach (var (item, failure) in inIntacct.Zip(inCreatio))
        {
            if (failure is not null)
            {
                outcomes.Add(new BindingCommitOutcome(item.Choice.CreatioId, item.Choice.IntacctId, "failed",
                    $"{failure.Message} Intacct holds the link; a new dry run shows it, and Sync with Intacct completes it."));
                continue;
            }

            await bindings.RecordAsync(report.Kind, item.Choice.CreatioId, item.Choice.IntacctId, item.RecordNo, cancellationToken);
            outcomes.Add(new BindingCommitOutcome(item.Choice.CreatioId, item.Choice.IntacctId, "linked", null));
        }

        var result = new BindingCommitResult(reportId, outcomes.Count(o => o.Outcome == "linked"), outcomes.Count(o => o.Outcome == "skipped"),
            outcomes.Count(o => o.Outcome == "failed"), outcomes);
        await reports.SetOutcomeAsync(reportId, JsonSerializer.Serialize(result, Json), CancellationToken.None);
        log.LogInformation("Binding run {ReportId} committed: {Linked} linked, {Skipped} skipped, {Failed} failed", reportId, result.Linked, result.Skipped, result.Failed);
        return result;
    }

    /// <summary>
    /// The pairs to write: the accepted ones that the report offers (a matched pair, or two candidates of one
    /// ambiguous name), less the rejected, each record at most once. The others are skipped with the reason.
    /// </summary>
    private static List<BindingChoice> Choose(BindingReport report, BindingCommit commit, List<BindingCommitOutcome> outcomes)
    {
        var rejected = (commit.Reject ?? []).Select(Key).ToHashSet();
        var offered = report.Matched.Select(p => Key(new BindingChoice(p.CreatioId, p.IntacctId))).ToHashSet();
        foreach (var a in report.Ambiguous)
            foreach (var c in a.Creatio)
                foreach (var i in a.Intacct)
                    offered.Add(Key(new BindingChoice(c.Id, i.Id)));
        var wanted = (commit.Accept ?? report.Matched.Select(p => new BindingChoice(p.CreatioId, p.IntacctId)).ToList())
            .Where(c => !rejected.Contains(Key(c))).DistinctBy(Key).ToList();
        foreach (var choice in wanted.Where(c => !offered.Contains(Key(c)) || !Guid.TryParse(c.CreatioId, out _)))
            outcomes.Add(new BindingCommitOutcome(choice.CreatioId, choice.IntacctId, "skipped", $"Binding run {report.Id} does not offer this pair."));
        var candidates = wanted.Where(c => offered.Contains(Key(c)) && Guid.TryParse(c.CreatioId, out _)).ToList();
        var twice = candidates.GroupBy(c => c.CreatioId, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).SelectMany(g => g)
            .Concat(candidates.GroupBy(c => c.IntacctId, StringComparer.Ordinal).Where(g => g.Count() > 1).SelectMany(g => g)).Select(Key).ToHashSet();
        var chosen = new List<BindingChoice>();
        foreach (var choice in candidates)
        {
            if (twice.Contains(Key(choice)))
                outcomes.Add(new BindingCommitOutcome(choice.CreatioId, choice.IntacctId, "skipped", "A record was accepted in more than one pair; pick one."));
            else chosen.Add(choice);
        }

        return chosen;
    }

    /// <summary>Why a pair cannot be written now (a record gone, or linked meanwhile: links are never moved), or null.</summary>
    private async Task<string?> WhyNotAsync(string kind, PairedObjects pair, BindingChoice choice, JsonObject? row, XElement? record, CancellationToken cancellationToken)
    {
        if (row is null) return $"The {pair.CreatioEntity.ToLowerInvariant()} no longer exists in Creatio.";
        if (NonEmpty((string?)row[pair.IntacctIdColumn]) is { } named) return $"It got linked to Intacct {named} meanwhile; links are never moved.";
        if (record is null) return $"Intacct no longer has {pair.IntacctObject.ToLowerInvariant()} {choice.IntacctId}.";
        if (NonEmpty(record.Element(pair.KeyField)?.Value) is { } holder) return $"Intacct {choice.IntacctId} got linked to {holder} meanwhile; links are never moved.";
        if (await bindings.GetAsync(kind, choice.CreatioId, cancellationToken) is { IntacctId: { } bound }) return $"The sidecar links it to {bound} already.";
        if (await bindings.FindByIntacctIdAsync(kind, choice.IntacctId, cancellationToken) is { } other) return $"The sidecar links {choice.IntacctId} to {other.CreatioId} already.";
        return null;
    }

    private static (string, string) Key(BindingChoice c) => (c.CreatioId.ToLowerInvariant(), c.IntacctId);

    /// <summary>Intacct records by id, read by name a hundred to a function, many functions to a request.</summary>
    private static async Task<Dictionary<string, XElement>> ReadIntacctAsync(IntacctConnection intacct, PairedObjects pair, IReadOnlyList<string> ids,
        CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, XElement>(StringComparer.Ordinal);
        var reads = await intacct.ExecuteEachAsync(ids.Distinct(StringComparer.Ordinal).Chunk(100)
            .Select(chunk => (IntacctFunction)new ReadRecords(pair.IntacctObject, chunk, ByName: true, Fields: $"RECORDNO,{pair.IdField},{pair.KeyField}")).ToList(), cancellationToken);
        if (reads.Select(r => r.Failure).OfType<IntacctException>().FirstOrDefault() is { } failure) throw failure;
        foreach (var record in reads.SelectMany(r => r.Result!.Records)) found[record.Element(pair.IdField)?.Value ?? ""] = record;
        return found;
    }

    private static PairedObjects PairOf(string kind) => kind switch
    {
        BindingKinds.AccountCustomer => InterweavePackage.AccountCustomer,
        BindingKinds.ProductItem => InterweavePackage.ProductItem,
        _ => throw new FlowRefusedException(RefusalReason.Invalid, "Unknown kind", $"'{kind}' cannot be bound by name: use {string.Join(" or ", Kinds)}."),
    };

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
