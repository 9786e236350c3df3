using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Xml;
using System.Xml.Linq;

namespace Interweave.Simulators.Intacct;

/// <summary>readByQuery, readMore and query: pages, result sets, field lists and the records as each function shapes them.</summary>
public sealed partial class IntacctGateway
{
    private XElement ReadByQuery(IntacctCompany company, Session session, XElement body)
    {
        var definition = Definition(company, body.Element("object")?.Value, query: true);
        company.EnsureAllowed(definition, "view");
        var scope = new QueryScope(company, definition);
        var fields = Fields(scope, body.Element("fields")?.Value, IntacctErrors.ReadByQueryFailed);
        var pageSize = PageSize(body.Element("pagesize")?.Value, 100, 1000, IntacctErrors.ReadByQueryFailed);
        var predicate = ReadByQueryParser.Parse(scope, body.Element("query")?.Value);
        var docParId = DocParId(company, definition, body);
        var matches = company.All(definition.Name).Where(r => predicate(r) && (docParId is null || r.Element("DOCPARID")?.Value == docParId)).ToList();
        var set = new ResultSet(NewResultId(), definition, matches, fields, pageSize, company.CompanyId, matches.Count);
        _lastResultSetOfObject[$"{session.CompanyId}\n{session.Id}\n{definition.Name}"] = set.Id;
        return NextPage(scope, set);
    }

    /// <summary>readMore by resultId, or by object: "Provide either the object name or the result ID" (queries page).</summary>
    private XElement ReadMore(IntacctCompany company, Session session, XElement body)
    {
        var resultId = body.Element("resultId")?.Value;
        if (string.IsNullOrEmpty(resultId) && body.Element("object")?.Value is { Length: > 0 } objectName)
            resultId = _lastResultSetOfObject.GetValueOrDefault($"{session.CompanyId}\n{session.Id}\n{Definition(company, objectName, query: true).Name}");
        if (string.IsNullOrEmpty(resultId) || !_resultSets.TryRemove(resultId, out var set) || set.CompanyId != company.CompanyId)
            throw IntacctErrors.ReadByQueryFailed($"Result ID {resultId} is unknown or has no more records; run the readByQuery again.");
        return NextPage(new QueryScope(company, set.Definition), set);
    }

    private XElement NextPage(QueryScope scope, ResultSet set)
    {
        var page = set.Remaining.Take(set.PageSize).ToList();
        var rest = set.Remaining.Skip(set.PageSize).ToList();
        var resultId = "";
        if (rest.Count > 0)
        {
            resultId = set.Id;
            _resultSets[set.Id] = set with { Remaining = rest };
        }

        // readByQuery answers in lower case (SDK ReadByQueryClassTest fixtures), with each record's own fields only: owned
        // lines come from read of the key or from a query on the line object (Sage's FAQ on readByQuery versus read).
        var name = set.Definition.Name.ToLowerInvariant();
        return new XElement("data",
            new XAttribute("listtype", name),
            new XAttribute("count", page.Count),
            new XAttribute("totalcount", set.Total),
            new XAttribute("numremaining", rest.Count),
            new XAttribute("resultId", resultId),
            page.Select(r => Project(scope, r, set.Fields, name, withLines: false)));
    }

    /// <summary>The query function (https://developer.intacct.com/web-services/queries/): upper-case records, related fields flat.</summary>
    private static XElement Query(IntacctCompany company, XElement body)
    {
        var definition = Definition(company, body.Element("object")?.Value, query: true);
        company.EnsureAllowed(definition, "view");
        var scope = new QueryScope(company, definition);
        var select = body.Element("select")?.Elements("field").Select(f => f.Value.Trim()).ToList() ?? [];
        if (select.Count == 0) throw IntacctErrors.Schema("query needs at least one field in select.");
        foreach (var field in select)
            if (scope.FieldAt(field) is null or { Kind: FieldKind.Group }) throw IntacctErrors.FieldNotValid(definition, field);
        var notQueryable = select.Where(f => scope.FieldAt(f) is { Queryable: false }).ToList();
        if (notQueryable.Count > 0) throw IntacctErrors.CannotBeQueried(definition, notQueryable);
        var caseInsensitive = body.Element("options")?.Element("caseinsensitive")?.Value == "true";
        var predicate = QueryFilterParser.Parse(scope, body.Element("filter"), caseInsensitive);
        var docParId = DocParId(company, definition, body);
        IEnumerable<XElement> matches = company.All(definition.Name).Where(r => predicate(r) && (docParId is null || r.Element("DOCPARID")?.Value == docParId));
        IOrderedEnumerable<XElement>? ordered = null;
        foreach (var order in body.Element("orderby")?.Elements("order") ?? [])
        {
            var field = order.Element("field")?.Value.Trim() ?? "";
            if (scope.FieldAt(field) is null) throw IntacctErrors.FieldNotValid(definition, field);
            var descending = order.Element("descending") is not null;
            var key = new Func<XElement, string?>(r => scope.ValueAt(r, field));
            var comparer = Comparer<string?>.Create((a, b) => a is null ? (b is null ? 0 : -1) : b is null ? 1 : scope.Compare(field, a, b, caseInsensitive, IntacctErrors.Schema) ?? 0);
            ordered = ordered is null
                ? (descending ? matches.OrderByDescending(key, comparer) : matches.OrderBy(key, comparer))
                : (descending ? ordered.ThenByDescending(key, comparer) : ordered.ThenBy(key, comparer));
        }

        var all = (ordered ?? matches).ToList();
        var pageSize = PageSize(body.Element("pagesize")?.Value, 100, 2000, IntacctErrors.Schema);
        var offset = PageSize(body.Element("offset")?.Value, 0, int.MaxValue, IntacctErrors.Schema, allowZero: true);
        var page = all.Skip(offset).Take(pageSize).ToList();
        return new XElement("data",
            new XAttribute("listtype", definition.Name),
            new XAttribute("totalcount", all.Count),
            new XAttribute("offset", offset),
            new XAttribute("count", page.Count),
            new XAttribute("numremaining", Math.Max(0, all.Count - offset - page.Count)),
            page.Select(r => new XElement(definition.Name, select.Select(f => new XElement(f, scope.ValueAt(r, f) ?? "")))));
    }

    private static int PageSize(string? text, int fallback, int max, Func<string, IntacctFunctionException> invalid, bool allowZero = false)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < (allowZero ? 0 : 1) || value > max)
            throw invalid($"'{text}' is not a valid page size or offset ({(allowZero ? 0 : 1)} to {max}).");
        return value;
    }

    /// <summary>Requested fields: own fields, group paths, or related fields (CUSTOMER.CUSTOMERID); null for every field.</summary>
    private static IReadOnlyList<string>? Fields(QueryScope scope, string? fields, Func<string, IntacctFunctionException> invalid)
    {
        if (string.IsNullOrWhiteSpace(fields) || fields.Trim() == "*") return null;
        var list = fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(f => f.ToUpperInvariant()).ToList();
        foreach (var field in list)
            if (scope.FieldAt(field) is null) throw invalid($"{field} is not a field of {scope.Definition.Name}.");
        return list;
    }

    /// <summary>
    /// A record with every field in definition order (empty elements for empty values, groups nested) and, for a header
    /// with lines when read asks for them, its lines nested (SODOCUMENTENTRIES/sodocumententry); or only the requested
    /// fields, related and group paths as flat elements named by their path.
    /// </summary>
    private static XElement Project(QueryScope scope, XElement record, IReadOnlyList<string>? fields, string elementName, bool withLines)
    {
        var definition = scope.Definition;
        if (fields is not null)
            return new XElement(elementName, fields.Select(field => field.Contains('.')
                ? new XElement(field, scope.ValueAt(record, field) ?? "")
                : record.Element(definition.Field(field)!.Name) is { } value ? new XElement(value) : Empty(definition.Field(field)!)));
        var projected = new XElement(elementName, definition.Fields.Where(f => !f.WriteOnly).Select(field => record.Element(field.Name) is { } value ? new XElement(value) : Empty(field)));
        if (withLines && definition.Lines is { } lines)
        {
            var lineScope = new QueryScope(scope.Company, scope.Company.Definitions[lines.Object]);
            projected.Add(new XElement(lines.Element, scope.Company.LinesOf(definition, record).Select(line => Project(lineScope, line, null, lines.LineElement, withLines: false))));
        }

        return projected;
    }

    private static XElement Empty(FieldDef field) =>
        new(field.Name, field.Kind is FieldKind.Group ? field.Children.Where(c => c.Kind != FieldKind.Group).Select(c => new XElement(c.Name, "")) : null);

    private static string NewResultId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}
