using System.Security.Claims;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Security;
using Interweave.Sidecar.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Api;

public static class FlowsApi
{
    public static IEndpointRouteBuilder MapFlows(this IEndpointRouteBuilder endpoints)
    {
        var flows = endpoints.MapGroup("/api/flows").WithTags("Flows");
        flows.MapGet("/", List).WithName("ListFlows").RequireAuthorization(Policies.Operations);
        flows.MapGet("/{flowId}", Get).WithName("GetFlow").RequireAuthorization(Policies.Operations).ProducesProblem(StatusCodes.Status404NotFound);
        flows.MapGet("/{flowId}/fields", Fields).WithName("GetFlowFields").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        flows.MapGet("/{flowId}/settings/{setting}/choices", SettingChoices).WithName("ListFlowSettingChoices").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        flows.MapPut("/{flowId}", Update).WithName("UpdateFlow").RequireAuthorization(Policies.Admin).ProducesProblem(StatusCodes.Status404NotFound).ProducesValidationProblem()
            .Audited("flow", "update", h => AuditApi.Route(h, "flowId"), AuditApi.FlowAsync);
        flows.MapGet("/{flowId}/schedule-preview", PreviewSchedule).WithName("PreviewFlowSchedule").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesValidationProblem();
        flows.MapPost("/{flowId}/runs", StartRun).WithName("StartFlowRun").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        var runs = endpoints.MapGroup("/api/runs").WithTags("Runs").RequireAuthorization(Policies.Operations);
        runs.MapGet("/", ListRuns).WithName("ListRuns");
        runs.MapGet("/{runId:long}", GetRun).WithName("GetRun").ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapGet("/records", RecordHistory).WithName("ListRecordHistory").ProducesValidationProblem();
        runs.MapGet("/{runId:long}/records", ListRunRecords).WithName("ListRunRecords").ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    /// <summary>Lists the flows.</summary>
    /// <remarks>Each flow with its definition, an admin's settings, schedule and watermark.</remarks>
    internal static async Task<Ok<FlowView[]>> List(FlowStore flows, FlowScheduler scheduler, IOptions<FlowOptions> options, TimeProvider time,
        CancellationToken cancellationToken) =>
        TypedResults.Ok((await flows.ListAsync(cancellationToken)).Select(f => FlowView.From(f, Now(options, time), scheduler.ProblemOf(f))).ToArray());

    /// <summary>Shows one flow.</summary>
    /// <remarks>The definition, an admin's settings, schedule and watermark.</remarks>
    internal static async Task<Results<Ok<FlowView>, ProblemHttpResult>> Get(string flowId, FlowStore flows, FlowScheduler scheduler, IOptions<FlowOptions> options,
        TimeProvider time, CancellationToken cancellationToken) =>
        await flows.GetAsync(flowId, cancellationToken) is { } flow ? TypedResults.Ok(FlowView.From(flow, Now(options, time), scheduler.ProblemOf(flow))) : NotFound(flowId);

    /// <summary>The present for a flow's next scheduled run, or null when schedules are off (nothing runs by itself).</summary>
    private static DateTimeOffset? Now(IOptions<FlowOptions> options, TimeProvider time) => options.Value.SchedulerEnabled ? time.GetUtcNow() : null;

    /// <summary>Lists the fields a flow's mapping can use on each side.</summary>
    /// <remarks>
    /// Asks the systems now: Intacct's lookup of the object (custom fields such as ACCOUNTID included, groups as
    /// GROUP/FIELD, as mappings name them) and the Creatio site's OData $metadata (custom columns included, a lookup
    /// as its Id column). For the mapping editor; 503 until both connections are configured.
    /// </remarks>
    internal static async Task<Results<Ok<FlowFields>, ProblemHttpResult, JsonHttpResult<Microsoft.AspNetCore.Mvc.ProblemDetails>>> Fields(string flowId, FlowStore flows,
        FlowConnections connections, CancellationToken cancellationToken)
    {
        if (await flows.GetAsync(flowId, cancellationToken) is not { } stored) return NotFound(flowId);
        var definition = stored.Parse();
        return await Refusals.AnswerAsync(async () =>
        {
            var (creatio, intacct) = await connections.ConnectAsync(cancellationToken);
            async Task<IReadOnlyList<FieldOption>> Side(Flows.Engine.FlowEndpoint end) => end.System == "intacct"
                ? (await intacct.FieldsAsync(end.Object, cancellationToken)).Select(f => new FieldOption(f.Id.Replace('.', '/'), f.Type, f.IsCustom, f.IsReadOnly)).ToList()
                : (await creatio.ColumnsAsync(end.Object, cancellationToken)).Select(c => new FieldOption(c.Name, c.Type, false, false)).ToList();
            return TypedResults.Ok(new FlowFields(await Side(definition.Source), await Side(definition.Target)));
        }, "Intacct could not describe the object.", "Creatio could not describe the object.");
    }

    /// <summary>Lists the values a flow setting may take, as the systems say now.</summary>
    /// <remarks>
    /// For send-to-intacct's documentType: the Intacct company's active Order Entry transaction definitions, read from
    /// Intacct now (each company names its own), and "AR Invoice". 404 for a setting that offers no list; 503 until the
    /// Intacct connection is configured.
    /// </remarks>
    internal static async Task<Results<Ok<FlowSettingChoices>, ProblemHttpResult, JsonHttpResult<Microsoft.AspNetCore.Mvc.ProblemDetails>>> SettingChoices(string flowId,
        string setting, FlowStore flows, IEnumerable<IFlowRules> rules, CancellationToken cancellationToken)
    {
        if (await flows.GetAsync(flowId, cancellationToken) is null) return NotFound(flowId);
        return await Refusals.AnswerAsync(async () =>
        {
            foreach (var rule in rules)
                if (await rule.ChoicesAsync(flowId, setting, cancellationToken) is { } choices)
                    return TypedResults.Ok(new FlowSettingChoices(setting, choices));
            throw new FlowRefusedException(RefusalReason.NotFound, "No list for this setting.", $"Setting '{setting}' of flow '{flowId}' takes a value of its own; there is no list to offer.");
        }, "Intacct could not list the transaction definitions.", "Creatio could not be asked.");
    }

    /// <summary>Changes a flow: enable, disable, schedule, settings, mapping or filter.</summary>
    /// <remarks>
    /// Each property left out stays as it is; mapping and filter are replaced whole. Every rule is checked before
    /// anything is stored, so a refused change (400, with each problem under its path, e.g. mapping[2].type) leaves
    /// the flow as it was. Schedules are Quartz cron expressions in UTC, seconds first, that fire within a year and no
    /// more often than Interweave:Flows:MinimumScheduleIntervalSeconds (checked over their next firings); a schedule the
    /// scheduler refuses is a 400 on schedule too, and the flow keeps its previous one.
    /// </remarks>
    internal static async Task<Results<Ok<FlowView>, ProblemHttpResult, ValidationProblem>> Update(
        string flowId, FlowChange change, FlowChanges changes, FlowScheduler scheduler, IOptions<FlowOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var edit = new FlowEdit(change.Enabled, change.Schedule, change.Settings, change.Mapping?.Select((m, i) => Contracts.FieldMap.ToDefinition(m, i, errors)).ToList(),
            change.Filter is { Count: <= FlowChanges.MaxFilterConditions } filter ? filter.Select((f, i) => Contracts.FlowFilter.ToDefinition(f, i, errors)).ToList()
            : change.Filter?.Select(_ => (Flows.Engine.FlowFilter?)null).ToList());
        try
        {
            var updated = await changes.ApplyAsync(flowId, edit, errors, cancellationToken);
            return updated is null ? TypedResults.ValidationProblem(errors) : TypedResults.Ok(FlowView.From(updated, Now(options, time), scheduler.ProblemOf(updated)));
        }
        catch (FlowRefusedException ex)
        {
            return Refusals.Problem(ex);
        }
    }

    /// <summary>Previews a schedule: its next three firings, or why a flow cannot have it.</summary>
    /// <remarks>
    /// <c>cron</c> is a Quartz cron expression (UTC, seconds first), as PUT /api/flows/{flowId} takes it; nothing is
    /// stored. The same rules as that PUT decide: an expression that is not Quartz's, never fires, does not fire within
    /// a year or fires more often than Interweave:Flows:MinimumScheduleIntervalSeconds is a 400 with the reason under
    /// errors.schedule, word for word what the PUT would answer. Otherwise the next firings after now, in UTC, computed
    /// by Quartz as the scheduler will fire them. An empty cron means manual runs only (no firings).
    /// </remarks>
    internal static async Task<Results<Ok<SchedulePreview>, ProblemHttpResult, ValidationProblem>> PreviewSchedule(string flowId, string? cron, FlowStore flows,
        IOptions<FlowOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await flows.GetAsync(flowId, cancellationToken) is null) return NotFound(flowId);
        var expression = (cron ?? "").Trim();
        if (expression.Length > 200)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["schedule"] = ["A schedule has at most 200 characters."] });
        var minimum = options.Value.MinimumScheduleIntervalSeconds;
        if (expression.Length == 0) return TypedResults.Ok(new SchedulePreview("", [], minimum));
        var now = time.GetUtcNow();
        if (Schedules.Problem(expression, now, options.Value.MinimumScheduleInterval) is { } problem)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["schedule"] = [problem] });
        return TypedResults.Ok(new SchedulePreview(expression, Schedules.Next(expression, now, 3), minimum));
    }

    /// <summary>Starts a run of a flow now.</summary>
    /// <remarks>
    /// Answers 202 at once with the run; it continues in the background. Follow it at the Location given. One run at a
    /// time per flow: while one runs, a second start (a double click) starts nothing and answers 409 with the running
    /// run's number as <c>runId</c>, to follow instead. Flows run by a button (send-to-intacct) answer 422.
    /// </remarks>
    internal static async Task<Results<Accepted<FlowRun>, ProblemHttpResult>> StartRun(string flowId, FlowRunner runner, FlowStore flows, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        try
        {
            var run = await runner.StartAsync(flowId, "manual", cancellationToken, user.Identity?.Name);
            return TypedResults.Accepted($"/api/runs/{run.Id}", FlowRun.From(run));
        }
        catch (FlowRefusedException ex)
        {
            if (ex.Reason == RefusalReason.Busy && await flows.GetRunningRunAsync(flowId, cancellationToken) is { } running)
                return TypedResults.Problem(title: "Already running.", detail: $"Run {running.Id} of {flowId} is under way; nothing new was started. Follow it at /api/runs/{running.Id}.",
                    statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["runId"] = running.Id });
            return Refusals.Problem(ex, "The run did not start.");
        }
    }

    /// <summary>Shows what runs did with one record, newest first.</summary>
    /// <remarks>
    /// <c>key</c> is the record's key in either system (a Creatio Id, an Intacct CUSTOMERID, DOCNO or RECORDNO). A RECORDNO is
    /// unique only within its Intacct object, so scope the key: <c>object</c> names the object it is a key of (CUSTOMER,
    /// ARINVOICE, Account ...), or <c>kind</c> names a binding kind (account-customer, product-item, opportunity-document),
    /// whose binding with this key on either side gives the record's keys in both systems, each scoped to its object. Without
    /// either, the key matches in any object. Each entry appears once; <c>limit</c> (1 to 500, default 50) caps the count, and
    /// a larger one is clamped to 500, never refused.
    /// </remarks>
    internal static async Task<Results<Ok<RecordHistoryEntry[]>, ValidationProblem>> RecordHistory(string? key, string? @object, string? kind, int? limit, FlowStore flows,
        BindingRepository bindings, Creatio.CreatioLinks pages, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 200)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["key"] = ["Give the record's key (at most 200 characters)."] });
        if (@object is { Length: > 100 })
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["object"] = ["An object name has at most 100 characters."] });
        if (kind is not null && !RecordObjects.BindingKinds.Contains(kind))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["kind"] = [$"Use one of {string.Join(", ", RecordObjects.BindingKinds)}."] });
        key = key.Trim();
        IReadOnlyList<RecordRef> keys = kind is null ? [new RecordRef(key, string.IsNullOrWhiteSpace(@object) ? null : @object.Trim())]
            : RecordObjects.KeysOf(kind, key, await bindings.FindByAnyKeyAsync(kind, key, 1, cancellationToken) is [var binding] ? binding : null);
        var history = await flows.ListRecordHistoryAsync(keys, Math.Clamp(limit ?? 50, 1, 500), cancellationToken);
        var objects = await RecordObjects.OfFlowsAsync(flows, cancellationToken);
        var site = await pages.SiteAsync(cancellationToken);
        return TypedResults.Ok(history.Select(h => RecordHistoryEntry.From(h.Record, h.FlowId, objects, site)).ToArray());
    }

    /// <summary>Lists runs, newest first.</summary>
    /// <remarks>
    /// <c>flowId</c> narrows to one flow; <c>limit</c> (1 to 500, default 50) caps the count, and a larger one is clamped to
    /// 500, never refused; <c>before</c> (a run's id) gives the runs older than that one, to page back from the oldest shown.
    /// </remarks>
    internal static async Task<Ok<FlowRun[]>> ListRuns(string? flowId, int? limit, long? before, FlowStore flows, CancellationToken cancellationToken) =>
        TypedResults.Ok((await flows.ListRunsAsync(flowId, Math.Clamp(limit ?? 50, 1, 500), cancellationToken, before)).Select(FlowRun.From).ToArray());

    /// <summary>Shows one run.</summary>
    /// <remarks>Its counts are saved as it goes, so a running run shows its progress.</remarks>
    internal static async Task<Results<Ok<FlowRun>, ProblemHttpResult>> GetRun(long runId, FlowStore flows, CancellationToken cancellationToken) =>
        await flows.GetRunAsync(runId, cancellationToken) is { } run ? TypedResults.Ok(FlowRun.From(run)) : RunNotFound(runId);

    /// <summary>Lists what a run did with each record.</summary>
    /// <remarks>
    /// One entry per record read: created, updated, unchanged or failed, with the keys on both sides and the reason for a
    /// failure, in the order logged. <c>limit</c> (1 to Interweave:Api:MaxPageSize, 5,000 unless configured; also the
    /// default) caps the count, and a larger one is clamped to that maximum, never refused; <c>after</c> (a record's id)
    /// asks for the next page.
    /// </remarks>
    internal static async Task<Results<Ok<FlowRunRecord[]>, ProblemHttpResult>> ListRunRecords(long runId, long? after, int? limit, FlowStore flows,
        IOptions<ApiOptions> api, Creatio.CreatioLinks pages, CancellationToken cancellationToken)
    {
        if (await flows.GetRunAsync(runId, cancellationToken) is not { } run) return RunNotFound(runId);
        var (objects, site) = (await RecordObjects.OfFlowsAsync(flows, cancellationToken), await pages.SiteAsync(cancellationToken));
        return TypedResults.Ok((await flows.ListRunRecordsAsync(runId, after, api.Value.PageOf(limit), cancellationToken))
            .Select(r => FlowRunRecord.From(r, run.FlowId, objects, site)).ToArray());
    }

    private static ProblemHttpResult NotFound(string flowId) =>
        TypedResults.Problem(title: "No such flow.", detail: $"There is no flow '{flowId}'. GET /api/flows lists them.", statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult RunNotFound(long runId) =>
        TypedResults.Problem(title: "No such run.", detail: $"There is no run {runId}.", statusCode: StatusCodes.Status404NotFound);

}
