using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Xml;
using System.Xml.Linq;

namespace Interweave.Simulators.Intacct;

/// <summary>
/// The XML gateway: one request document in, one response document out. Errors are placed at the level
/// Intacct places them: control (XML, sender), authentication (login, session), or function.
/// </summary>
public sealed class IntacctGateway
{
    private readonly IntacctSimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Session> _sessions = new();
    private readonly ConcurrentDictionary<string, ResultSet> _resultSets = new();
    private readonly ConcurrentDictionary<string, byte> _usedControlIds = new();
    private readonly Dictionary<string, IntacctCompany> _companies = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _companyLock = new(1, 1);

    public IntacctGateway(IntacctSimulatorOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        var company = new IntacctCompany(options.CompanyId, time);
        _companies[options.CompanyId] = company;
        if (options.Seed == "demo") IntacctDemoSeed.Apply(company);
    }

    /// <summary>Direct access to the books, for tests that arrange or assert state.</summary>
    internal IntacctCompany Company => _companies[_options.CompanyId];

    /// <summary>Counts functions executed, by name: what Intacct would bill.</summary>
    public ConcurrentDictionary<string, int> FunctionCounts { get; } = new();

    internal string? CompanyOfSession(string sessionId) => _sessions.TryGetValue(sessionId, out var session) ? session.CompanyId : null;

    private sealed record Session(string Id, string CompanyId, string UserId, string? LocationId)
    {
        public DateTimeOffset LastUsed { get; set; }
    }

    private sealed record ResultSet(string Id, ObjectDef Definition, List<XElement> Remaining, IReadOnlyList<string>? Fields, int PageSize, string CompanyId);

    public async Task<XDocument> HandleAsync(string body, string endpointUrl, CancellationToken cancellationToken)
    {
        XDocument request;
        try
        {
            request = XDocument.Parse(body);
        }
        catch (XmlException ex)
        {
            return ControlFailure(null, new IntacctError("XL03000003", "", $"XML Parse schema error: {ex.Message}", ""));
        }

        var control = request.Root?.Name == "request" ? request.Root.Element("control") : null;
        if (control is null)
            return ControlFailure(null, new IntacctError("XL03000003", "", "XML Parse schema error: the document must be <request> with a <control> block.", ""));

        var senderId = control.Element("senderid")?.Value ?? "";
        var senderPassword = control.Element("password")?.Value ?? "";
        if (control.Element("dtdversion")?.Value != "3.0")
            return ControlFailure(control, new IntacctError("XL03000003", "", "XML Parse schema error: this gateway accepts dtdversion 3.0 only.", "Send <dtdversion>3.0</dtdversion>."));
        var senderKnown = (senderId == _options.SenderId && senderPassword == _options.SenderPassword)
            || (_options.UnauthorizedSenders.TryGetValue(senderId, out var otherPassword) && otherPassword == senderPassword);
        if (!senderKnown)
            return ControlFailure(control, new IntacctError("XL03000006", "Incorrect Intacct XML Partner ID or password.", "", "Check the Web Services sender ID and sender password."));

        var operation = control.Parent!.Element("operation");
        var authentication = operation?.Element("authentication");
        if (operation is null || authentication is null)
            return ControlFailure(control, new IntacctError("XL03000003", "", "XML Parse schema error: <operation> with <authentication> is required.", ""));

        var (session, authError) = Authenticate(authentication);
        if (session is not null && senderId != _options.SenderId)
        {
            return ControlFailure(control, new IntacctError("XL03000006",
                $"The Web Services sender ID '{senderId}' is not authorized for company '{session.CompanyId}'.", "",
                "An administrator authorizes it under Company > Setup > Company > Security > Web Services authorizations."));
        }

        if (session is null) return AuthenticationFailure(control, authentication, authError!);

        if (control.Element("uniqueid")?.Value == "true")
        {
            var controlId = control.Element("controlid")?.Value ?? "";
            if (!_usedControlIds.TryAdd($"{session.CompanyId}\n{controlId}", 0))
                return ControlFailure(control, new IntacctError("XL03000009", "The request control ID has already been used.", $"controlid {controlId} was processed before and uniqueid is true.", "Use a new control ID, or send uniqueid false."));
        }

        var functions = operation.Element("content")?.Elements("function").ToList() ?? [];
        var transaction = string.Equals(operation.Attribute("transaction")?.Value, "true", StringComparison.OrdinalIgnoreCase);
        var results = new List<XElement>();

        await _companyLock.WaitAsync(cancellationToken);
        try
        {
            var company = _companies[session.CompanyId];
            var snapshot = transaction ? company.Snapshot() : default;
            var failed = false;
            foreach (var function in functions)
            {
                var result = Execute(company, session, function, endpointUrl);
                results.Add(result);
                if (result.Element("status")?.Value == "failure") failed = true;
                if (failed && transaction) break;
            }

            if (failed && transaction)
            {
                company.Restore(snapshot);
                // Functions that ran before the failure are rolled back; those after it never ran.
                for (var i = 0; i < functions.Count; i++)
                {
                    if (i < results.Count && results[i].Element("status")?.Value == "failure") continue;
                    var aborted = ResultShell("aborted", functions[i]);
                    aborted.Add(new XElement("errormessage", new IntacctError("XL03000009", "The entire transaction in this operation has been rolled back due to an error.", "", "").ToXml()));
                    if (i < results.Count) results[i] = aborted;
                    else results.Add(aborted);
                }
            }
        }
        finally
        {
            _companyLock.Release();
        }

        return Response(control, new XElement("operation", AuthenticationBlock("success", session), results));
    }

    private (Session?, IntacctError?) Authenticate(XElement authentication)
    {
        var invalid = new IntacctError("XL03000006", "Sign-in information is incorrect", "", "Check the company ID, the Web Services user ID and its password.");
        if (authentication.Element("sessionid")?.Value is { } sessionId)
        {
            if (_sessions.TryGetValue(sessionId, out var session) && _time.GetUtcNow() - session.LastUsed < _options.SessionTimeout)
            {
                session.LastUsed = _time.GetUtcNow();
                return (session, null);
            }

            _sessions.TryRemove(sessionId, out _);
            return (null, new IntacctError("XL03000006", "Invalid session", "The session ID is unknown or has expired.", "Log in again, or call getAPISession for a new session."));
        }

        var login = authentication.Element("login");
        if (login is null) return (null, invalid);
        var userId = login.Element("userid")?.Value ?? "";
        var companyId = login.Element("companyid")?.Value ?? "";
        var password = login.Element("password")?.Value ?? "";
        var locationId = login.Element("locationid")?.Value;
        if (!_companies.TryGetValue(companyId, out var company) || userId != _options.UserId || password != _options.UserPassword)
            return (null, invalid);
        if (!string.IsNullOrEmpty(locationId) && !company.Entities.Contains(locationId))
            return (null, new IntacctError("XL03000006", $"Invalid location/entity '{locationId}'.", "", "Use an entity ID of this company, or leave locationid out for the top level."));

        // A login authenticates the request only; getAPISession turns it into a reusable session.
        return (new Session("", company.CompanyId, userId, string.IsNullOrEmpty(locationId) ? null : locationId) { LastUsed = _time.GetUtcNow() }, null);
    }

    private XElement Execute(IntacctCompany company, Session session, XElement function, string endpointUrl)
    {
        var body = function.Elements().FirstOrDefault();
        var name = body?.Name.LocalName ?? "";
        FunctionCounts.AddOrUpdate(name, 1, (_, n) => n + 1);
        try
        {
            if (body is null || function.Elements().Count() != 1)
                throw new IntacctFunctionException(new IntacctError("XL03000003", "", "XML Parse schema error: a <function> holds exactly one call.", ""));
            var data = name switch
            {
                "getAPISession" => GetApiSession(session, body, endpointUrl),
                "create" => Write(company, body, company.Create),
                "update" => Write(company, body, company.Update),
                "delete" => Delete(company, body),
                "delete_customer" => LegacyDelete(company, IntacctSchema.Customer, body.Attribute("customerid")?.Value),
                "delete_vendor" => LegacyDelete(company, IntacctSchema.Vendor, body.Attribute("vendorid")?.Value),
                "read" => Read(company, body, byName: false),
                "readByName" => Read(company, body, byName: true),
                "readByQuery" => ReadByQuery(company, body),
                "readMore" => ReadMore(company, body),
                "query" => Query(company, body),
                _ => throw new IntacctFunctionException(new IntacctError("XL03000003", "", $"XML Parse schema error: unknown function <{name}>.", "")),
            };
            var result = ResultShell("success", function);
            if (data is not null) result.Add(data);
            return result;
        }
        catch (IntacctFunctionException ex)
        {
            var result = ResultShell("failure", function);
            result.Add(new XElement("errormessage", ex.Errors.Select(e => e.ToXml())));
            return result;
        }
    }

    private static XElement ResultShell(string status, XElement function) => new("result",
        new XElement("status", status),
        new XElement("function", function.Elements().FirstOrDefault()?.Name.LocalName ?? ""),
        new XElement("controlid", function.Attribute("controlid")?.Value ?? ""));

    private XElement GetApiSession(Session session, XElement body, string endpointUrl)
    {
        var locationId = body.Element("locationid")?.Value;
        if (string.IsNullOrEmpty(locationId)) locationId = session.LocationId;
        else if (!_companies[session.CompanyId].Entities.Contains(locationId))
            throw IntacctFunctionException.Business($"Invalid entity '{locationId}'.", "Use an entity ID of this company.");
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '.').Replace('/', '_') + "..";
        _sessions[id] = new Session(id, session.CompanyId, session.UserId, locationId) { LastUsed = _time.GetUtcNow() };
        return new XElement("data", new XElement("api",
            new XElement("sessionid", id),
            new XElement("endpoint", endpointUrl),
            new XElement("locationid", locationId ?? "")));
    }

    private static ObjectDef Definition(string? name) =>
        name is not null && IntacctSchema.Objects.TryGetValue(name.Trim(), out var definition)
            ? definition
            : throw IntacctFunctionException.Business($"Object '{name}' does not exist or is not available through this API.", "Check the object name (for example CUSTOMER, ITEM, ARINVOICE).", "Invalid object");

    private static XElement Write(IntacctCompany company, XElement body, Func<ObjectDef, XElement, XElement> write)
    {
        var written = body.Elements().Select(input =>
        {
            var definition = Definition(input.Name.LocalName);
            var record = write(definition, input);
            var summary = new XElement(definition.Name.ToLowerInvariant(), new XElement("RECORDNO", record.Element("RECORDNO")!.Value));
            if (definition.IdField != "RECORDNO") summary.Add(new XElement(definition.IdField, record.Element(definition.IdField)?.Value ?? ""));
            return summary;
        }).ToList();
        if (written.Count == 0) throw IntacctFunctionException.Business($"<{body.Name.LocalName}> holds no record.", "Put the object element inside the function.");
        return new XElement("data", new XAttribute("listtype", "objects"), new XAttribute("count", written.Count), written);
    }

    private static XElement? Delete(IntacctCompany company, XElement body)
    {
        var definition = Definition(body.Element("object")?.Value);
        var keys = (body.Element("keys")?.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (keys.Length == 0) throw IntacctFunctionException.Business("No keys given.", "Give the RECORDNO of each record to delete.");
        var records = keys.Select(k => company.FindByRecordNo(definition, k)
            ?? throw IntacctFunctionException.Business($"No {definition.DisplayName} with RECORDNO {k} exists.", "Check the key.", $"Could not delete {definition.DisplayName} record!")).ToList();
        foreach (var record in records) company.Delete(definition, record);
        return null;
    }

    private static XElement LegacyDelete(IntacctCompany company, ObjectDef definition, string? id)
    {
        var record = company.FindById(definition, id ?? "")
            ?? throw IntacctFunctionException.Business($"No {definition.DisplayName} with ID {id} exists.", "Check the ID.", $"Could not delete {definition.DisplayName} record!");
        company.Delete(definition, record);
        return new XElement("key", id);
    }

    private static XElement Read(IntacctCompany company, XElement body, bool byName)
    {
        var definition = Definition(body.Element("object")?.Value);
        company.EnsureAllowed(definition, "view");
        var fields = Fields(definition, body.Element("fields")?.Value);
        var keys = (body.Element("keys")?.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (keys.Length > 100) throw IntacctFunctionException.Business("At most 100 keys may be read at once.", "Read in smaller groups.");
        var records = keys.Length == 0
            ? company.All(definition.Name).Take(100)
            : keys.Select(k => byName ? company.FindById(definition, k) : company.FindByRecordNo(definition, k)).Where(r => r is not null).Cast<XElement>();
        var list = records.Select(r => Project(definition, r, fields, definition.Name.ToLowerInvariant())).ToList();
        return new XElement("data", new XAttribute("listtype", definition.Name.ToLowerInvariant()), new XAttribute("count", list.Count), list);
    }

    private XElement ReadByQuery(IntacctCompany company, XElement body)
    {
        var definition = Definition(body.Element("object")?.Value);
        company.EnsureAllowed(definition, "view");
        var fields = Fields(definition, body.Element("fields")?.Value);
        var pageSize = PageSize(body.Element("pagesize")?.Value, 100, 2000);
        var predicate = ReadByQueryParser.Parse(definition, body.Element("query")?.Value);
        var matches = company.All(definition.Name).Where(r => predicate(r)).ToList();
        var set = new ResultSet(NewResultId(), definition, matches, fields, pageSize, company.CompanyId);
        return NextPage(set, matches.Count);
    }

    private XElement ReadMore(IntacctCompany company, XElement body)
    {
        var resultId = body.Element("resultId")?.Value ?? "";
        if (!_resultSets.TryRemove(resultId, out var set) || set.CompanyId != company.CompanyId)
            throw IntacctFunctionException.Business($"Result ID {resultId} is unknown or has expired.", "Run the readByQuery again.", "Invalid resultId");
        return NextPage(set, null);
    }

    private XElement NextPage(ResultSet set, int? total)
    {
        var page = set.Remaining.Take(set.PageSize).ToList();
        var rest = set.Remaining.Skip(set.PageSize).ToList();
        var resultId = "";
        if (rest.Count > 0)
        {
            resultId = set.Id;
            _resultSets[set.Id] = set with { Remaining = rest };
        }

        var name = set.Definition.Name.ToLowerInvariant();
        var data = new XElement("data",
            new XAttribute("listtype", name),
            new XAttribute("count", page.Count),
            new XAttribute("totalcount", total ?? page.Count + rest.Count),
            new XAttribute("numremaining", rest.Count),
            new XAttribute("resultId", resultId),
            page.Select(r => Project(set.Definition, r, set.Fields, name)));
        return data;
    }

    private static XElement Query(IntacctCompany company, XElement body)
    {
        var definition = Definition(body.Element("object")?.Value);
        company.EnsureAllowed(definition, "view");
        var select = body.Element("select")?.Elements("field").Select(f => f.Value.Trim()).ToList() ?? [];
        if (select.Count == 0) throw IntacctFunctionException.Business("query needs at least one <field> in <select>.", "Name the fields to return.", "Invalid query");
        foreach (var field in select)
            if (IntacctValues.FieldAt(definition, field) is null)
                throw IntacctFunctionException.Business($"Unknown field '{field}' in select on {definition.Name}.", "Use a field the object has.", "Invalid query");
        var caseInsensitive = body.Element("options")?.Element("caseinsensitive")?.Value == "true";
        var predicate = QueryFilterParser.Parse(definition, body.Element("filter"), caseInsensitive);
        IEnumerable<XElement> matches = company.All(definition.Name).Where(r => predicate(r));
        var orders = body.Element("orderby")?.Elements("order").ToList() ?? [];
        IOrderedEnumerable<XElement>? ordered = null;
        foreach (var order in orders)
        {
            var field = order.Element("field")?.Value ?? "";
            var descending = order.Element("descending") is not null;
            var key = new Func<XElement, string?>(r => IntacctValues.ValueAt(r, field));
            var comparer = Comparer<string?>.Create((a, b) => a is null ? (b is null ? 0 : -1) : b is null ? 1 : FieldComparison.Compare(definition, field, a, b, caseInsensitive) ?? 0);
            ordered = ordered is null
                ? (descending ? matches.OrderByDescending(key, comparer) : matches.OrderBy(key, comparer))
                : (descending ? ordered.ThenByDescending(key, comparer) : ordered.ThenBy(key, comparer));
        }

        var all = (ordered ?? matches).ToList();
        var pageSize = PageSize(body.Element("pagesize")?.Value, 100, 2000);
        var offset = (int)Math.Max(0, PageSize(body.Element("offset")?.Value, 0, int.MaxValue, allowZero: true));
        var page = all.Skip(offset).Take(pageSize).ToList();
        return new XElement("data",
            new XAttribute("listtype", definition.Name),
            new XAttribute("totalcount", all.Count),
            new XAttribute("offset", offset),
            new XAttribute("count", page.Count),
            new XAttribute("numremaining", Math.Max(0, all.Count - offset - page.Count)),
            page.Select(r => new XElement(definition.Name, select.Select(f => new XElement(f, IntacctValues.ValueAt(r, f) ?? "")))));
    }

    private static int PageSize(string? text, int fallback, int max, bool allowZero = false)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < (allowZero ? 0 : 1) || value > max)
            throw IntacctFunctionException.Business($"'{text}' is not a valid page size or offset (1 to {max}).", "Correct the pagesize or offset.");
        return value;
    }

    private static IReadOnlyList<string>? Fields(ObjectDef definition, string? fields)
    {
        if (string.IsNullOrWhiteSpace(fields) || fields.Trim() == "*") return null;
        var list = fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        foreach (var field in list)
            if (definition.Field(field.ToUpperInvariant()) is null)
                throw IntacctFunctionException.Business($"Unknown field '{field}' on {definition.Name}.", "Request fields the object has, or *.");
        return list.Select(f => f.ToUpperInvariant()).ToList();
    }

    /// <summary>Every field of the object in schema order (empty elements for empty values), or only the requested ones.</summary>
    private static XElement Project(ObjectDef definition, XElement record, IReadOnlyList<string>? fields, string elementName)
    {
        var wanted = fields is null ? definition.Fields : fields.Select(f => definition.Field(f)!).ToList();
        return new XElement(elementName, wanted.Select(field => record.Element(field.Name) is { } value
            ? new XElement(value)
            : new XElement(field.Name, field.Kind is FieldKind.Group ? field.Children.Where(c => c.Kind != FieldKind.Group).Select(c => new XElement(c.Name, "")) : null)));
    }

    private static string NewResultId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private XDocument ControlFailure(XElement? control, IntacctError error) => new(new XDeclaration("1.0", "UTF-8", null),
        new XElement("response",
            ControlBlock("failure", control),
            new XElement("errormessage", error.ToXml())));

    private XDocument AuthenticationFailure(XElement control, XElement authentication, IntacctError error)
    {
        var login = authentication.Element("login");
        return Response(control, new XElement("operation",
            new XElement("authentication",
                new XElement("status", "failure"),
                new XElement("userid", login?.Element("userid")?.Value ?? ""),
                new XElement("companyid", login?.Element("companyid")?.Value ?? ""),
                new XElement("locationid", login?.Element("locationid")?.Value ?? "")),
            new XElement("errormessage", error.ToXml())));
    }

    private XElement AuthenticationBlock(string status, Session session)
    {
        var now = _time.GetUtcNow();
        return new XElement("authentication",
            new XElement("status", status),
            new XElement("userid", session.UserId),
            new XElement("companyid", session.CompanyId),
            new XElement("locationid", session.LocationId ?? ""),
            new XElement("sessiontimestamp", now.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture)),
            new XElement("sessiontimeout", (now + _options.SessionTimeout).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture)));
    }

    private static XDocument Response(XElement control, XElement operation) => new(new XDeclaration("1.0", "UTF-8", null),
        new XElement("response", ControlBlock("success", control), operation));

    private static XElement ControlBlock(string status, XElement? control) => new("control",
        new XElement("status", status),
        new XElement("senderid", control?.Element("senderid")?.Value ?? ""),
        new XElement("controlid", control?.Element("controlid")?.Value ?? ""),
        new XElement("uniqueid", control?.Element("uniqueid")?.Value ?? "false"),
        new XElement("dtdversion", "3.0"));
}
