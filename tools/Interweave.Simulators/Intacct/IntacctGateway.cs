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
    private readonly ConcurrentDictionary<string, string> _lastResultSetOfObject = new();
    private readonly ConcurrentDictionary<string, byte> _usedControlIds = new();
    private readonly Dictionary<string, IntacctCompany> _companies = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _companyLock = new(1, 1);

    public IntacctGateway(IntacctSimulatorOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        var company = new IntacctCompany(options.CompanyId, new IntacctDefinitions(options.CustomFields), time);
        _companies[options.CompanyId] = company;
        IntacctDemoSeed.ApplySetup(company);
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

    private sealed record ResultSet(string Id, ObjectDef Definition, List<XElement> Remaining, IReadOnlyList<string>? Fields, int PageSize, string CompanyId, int Total);

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
            return ControlFailure(null, new IntacctError("XL03000003", "", "XML Parse schema error: the document must be a request element with a control block.", ""));

        var senderId = control.Element("senderid")?.Value ?? "";
        var senderPassword = control.Element("password")?.Value ?? "";
        if (control.Element("dtdversion")?.Value != "3.0")
            return ControlFailure(control, new IntacctError("XL03000003", "", "XML Parse schema error: this gateway accepts dtdversion 3.0 only.", "Send dtdversion 3.0."));
        var senderKnown = (senderId == _options.SenderId && senderPassword == _options.SenderPassword)
            || (_options.UnauthorizedSenders.TryGetValue(senderId, out var otherPassword) && otherPassword == senderPassword);
        if (!senderKnown)
            return ControlFailure(control, new IntacctError("XL03000006", "Incorrect Intacct XML Partner ID or password.", "", "Check the Web Services sender ID and sender password."));
        // Schema validation comes before anything runs: a function the DTD does not declare fails the whole request.
        foreach (var call in control.Parent!.Element("operation")?.Element("content")?.Elements("function").SelectMany(f => f.Elements()) ?? [])
            if (!KnownFunctions.Contains(call.Name.LocalName))
                return ControlFailure(control, new IntacctError("XL03000003", "", $"XML Parse schema error: Element {call.Name.LocalName} is not a function this gateway declares. {IntacctErrors.SupportId()}", ""));

        var operation = control.Parent!.Element("operation");
        var authentication = operation?.Element("authentication");
        if (operation is null || authentication is null)
            return ControlFailure(control, new IntacctError("XL03000003", "", "XML Parse schema error: an operation element with an authentication element is required.", ""));

        var (session, authError) = Authenticate(authentication);
        if (session is not null && senderId != _options.SenderId)
        {
            // Texts from https://developer.intacct.com/web-services/error-handling/ (the errorno is not shown there; ours).
            return ControlFailure(control, new IntacctError("XL03000006", "Invalid Web Services Authorization",
                $"The sender ID '{senderId}' is not authorized to make Web Services requests to company ID '{session.CompanyId}'.",
                "Contact the company administrator to grant Web Services authorization to this sender ID (Company > Setup > Company > Security > Web Services authorizations)."));
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
            if (transaction) company.BeginWork();
            var failed = false;
            foreach (var function in functions)
            {
                var result = Execute(company, session, function, endpointUrl);
                results.Add(result);
                if (result.Element("status")?.Value == "failure") failed = true;
                if (failed && transaction) break;
            }

            if (transaction && !failed) company.CommitWork();
            if (failed && transaction)
            {
                company.RollBackWork();
                // Functions that ran before the failure are rolled back; those after it never ran.
                for (var i = 0; i < functions.Count; i++)
                {
                    if (i < results.Count && results[i].Element("status")?.Value == "failure") continue;
                    var aborted = ResultShell("aborted", functions[i]);
                    aborted.Add(new XElement("errormessage", new IntacctError("XL03000009", "", "The entire transaction in this operation has been rolled back due to an error.", "").ToXml()));
                    if (i < results.Count) results[i] = aborted;
                    else results.Add(aborted);
                }
            }
        }
        finally
        {
            _companies[session.CompanyId].RollBackWork(); // no-op after a commit; closes a unit a fault left open
            _companyLock.Release();
        }

        return Response(control, new XElement("operation", AuthenticationBlock("success", session), results));
    }

    private (Session?, IntacctError?) Authenticate(XElement authentication)
    {
        // Empty description, text in description2: intacct-sdk-php test/Intacct/Xml/OnlineResponseTest.php testAuthenticationFailure.
        var invalid = new IntacctError("XL03000006", "", "Sign-in information is incorrect", "");
        if (authentication.Element("sessionid")?.Value is { } sessionId)
        {
            if (_sessions.TryGetValue(sessionId, out var session) && _time.GetUtcNow() - session.LastUsed < _options.SessionTimeout)
            {
                session.LastUsed = _time.GetUtcNow();
                return (session, null);
            }

            _sessions.TryRemove(sessionId, out _);
            // No public source shows the expired-session error; this one is ours (tools/README.md, Known differences).
            return (null, new IntacctError("XL03000006", "", "Invalid session", "Log in again, or call getAPISession for a new session."));
        }

        var login = authentication.Element("login");
        if (login is null) return (null, invalid);
        var userId = login.Element("userid")?.Value ?? "";
        var companyId = login.Element("companyid")?.Value ?? "";
        var password = login.Element("password")?.Value ?? "";
        var locationId = login.Element("locationid")?.Value;
        if (!_companies.TryGetValue(companyId, out var company) || userId != _options.UserId || password != _options.UserPassword)
            return (null, invalid);
        if (!string.IsNullOrEmpty(locationId) && !company.Entities.Contains(locationId, StringComparer.OrdinalIgnoreCase))
            return (null, new IntacctError("XL03000006", "", $"Invalid location/entity '{locationId}'.", "Use an entity ID of this company, or leave locationid out for the top level."));

        // A login authenticates the request only; getAPISession turns it into a reusable session.
        return (new Session("", company.CompanyId, userId, string.IsNullOrEmpty(locationId) ? null : locationId) { LastUsed = _time.GetUtcNow() }, null);
    }

    /// <summary>Generic functions (developer.intacct.com/web-services/requests, queries) and the legacy ones the SDKs build.</summary>
    private static readonly IReadOnlySet<string> KnownFunctions = new HashSet<string>(
        ["getAPISession", "create", "update", "delete", "delete_customer", "delete_vendor", "delete_contact", "delete_item", "read", "readByName", "readByQuery", "readMore", "query", "lookup", "inspect",
         .. IntacctLegacyFunctions.Names], StringComparer.Ordinal);

    private XElement Execute(IntacctCompany company, Session session, XElement function, string endpointUrl)
    {
        var body = function.Elements().FirstOrDefault();
        var name = body?.Name.LocalName ?? "";
        FunctionCounts.AddOrUpdate(name, 1, (_, n) => n + 1);
        // A failed function leaves nothing behind: a document whose second line is refused keeps no header, no first line.
        var ownsWork = !ReadOnlyFunctions.Contains(name) && company.BeginWork();
        try
        {
            if (body is null || function.Elements().Count() != 1)
                throw IntacctErrors.Schema("a function element holds exactly one call.");
            XElement? key = null;
            var data = name switch
            {
                "getAPISession" => GetApiSession(session, body, endpointUrl),
                "create" => Write(company, body, "create", company.Create),
                "update" => Write(company, body, "update", company.Update),
                "delete" => Delete(company, body),
                "delete_customer" => LegacyDelete(company, company.Definitions["CUSTOMER"], body.Attribute("customerid")?.Value, ref key),
                "delete_vendor" => LegacyDelete(company, company.Definitions["VENDOR"], body.Attribute("vendorid")?.Value, ref key),
                "delete_contact" => LegacyDelete(company, company.Definitions["CONTACT"], body.Attribute("contactname")?.Value, ref key),
                "delete_item" => LegacyDelete(company, company.Definitions["ITEM"], body.Attribute("itemid")?.Value, ref key),
                "read" => Read(company, body, byName: false),
                "readByName" => Read(company, body, byName: true),
                "readByQuery" => ReadByQuery(company, session, body),
                "readMore" => ReadMore(company, session, body),
                "query" => Query(company, body),
                "lookup" => Lookup(company, body),
                "inspect" => Inspect(company, body),
                _ => Legacy(company, body, ref key),
            };
            if (ownsWork) company.CommitWork();
            var result = ResultShell("success", function);
            if (key is not null) result.Add(key);
            if (data is not null) result.Add(data);
            return result;
        }
        catch (IntacctFunctionException ex)
        {
            if (ownsWork) company.RollBackWork();
            var result = ResultShell("failure", function);
            if (name == "create") result.Add(new XElement("data", new XAttribute("listtype", "objects"), new XAttribute("count", 0)));
            result.Add(new XElement("errormessage", ex.Errors.Select(e => e.ToXml())));
            return result;
        }
        catch
        {
            if (ownsWork) company.RollBackWork(); // a fault of the simulator itself still leaves the books as they were
            throw;
        }
    }

    private static readonly IReadOnlySet<string> ReadOnlyFunctions = new HashSet<string>(
        ["getAPISession", "read", "readByName", "readByQuery", "readMore", "query", "lookup", "inspect"], StringComparer.Ordinal);

    private static XElement? Legacy(IntacctCompany company, XElement body, ref XElement? key)
    {
        key = IntacctLegacyFunctions.Execute(company, body);
        return null;
    }

    private static XElement ResultShell(string status, XElement function) => new("result",
        new XElement("status", status),
        new XElement("function", function.Elements().FirstOrDefault()?.Name.LocalName ?? ""),
        new XElement("controlid", function.Attribute("controlid")?.Value ?? ""));

    private XElement GetApiSession(Session session, XElement body, string endpointUrl)
    {
        var locationId = body.Element("locationid")?.Value;
        if (string.IsNullOrEmpty(locationId)) locationId = session.LocationId;
        else if (!_companies[session.CompanyId].Entities.Contains(locationId, StringComparer.OrdinalIgnoreCase))
            throw IntacctFunctionException.Business("Invalid entity", $"Invalid entity '{locationId}'.", "Use an entity ID of this company.", "Could not create API session.");
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '.').Replace('/', '_') + "..";
        _sessions[id] = new Session(id, session.CompanyId, session.UserId, locationId) { LastUsed = _time.GetUtcNow() };
        return new XElement("data", new XElement("api",
            new XElement("sessionid", id),
            new XElement("endpoint", endpointUrl),
            new XElement("locationid", locationId ?? "")));
    }

    private static ObjectDef Definition(IntacctCompany company, string? name, bool query = false) =>
        company.Definitions.Find(name) ?? throw IntacctErrors.ObjectNotFound(name?.Trim(), query);

    /// <summary>Generic create and update: several records of several objects per call, each object as its page documents it.</summary>
    private static XElement Write(IntacctCompany company, XElement body, string function, Func<ObjectDef, XElement, XElement> write)
    {
        var written = body.Elements().Select(input =>
        {
            var definition = Definition(company, input.Name.LocalName);
            if (!definition.Allows(function))
                throw IntacctFunctionException.Business("Operation not supported",
                    $"{definition.Name} does not support the generic {function}. {LegacyHint(definition, function)}".Trim(), null, $"Could not {function} {definition.Label} record.");
            var record = write(definition, input);
            var summary = new XElement(definition.Name.ToLowerInvariant(), new XElement("RECORDNO", record.Element("RECORDNO")!.Value));
            if (definition.IdField != "RECORDNO") summary.Add(new XElement(definition.IdField, record.Element(definition.IdField)?.Value ?? ""));
            return summary;
        }).ToList();
        if (written.Count == 0) throw IntacctErrors.Schema($"{function} holds no record.");
        return new XElement("data", new XAttribute("listtype", "objects"), new XAttribute("count", written.Count), written);
    }

    private static string LegacyHint(ObjectDef definition, string function) => (definition.Name, function) switch
    {
        ("SODOCUMENT", _) => $"Use {function}_sotransaction.",
        ("ARINVOICE", "create") => "Use create_invoice.",
        ("ARINVOICE", "update") => "Use update_invoice.",
        ("ARADJUSTMENT", "create") => "Use create_aradjustment.",
        _ => "",
    };

    private static XElement? Delete(IntacctCompany company, XElement body)
    {
        var definition = Definition(company, body.Element("object")?.Value);
        var could = $"Could not delete {definition.Label} record.";
        if (!definition.Allows("delete"))
            throw IntacctFunctionException.Business("Operation not supported", $"{definition.Name} does not support the generic delete. {LegacyHint(definition, "delete")}".Trim(), null, could);
        var keys = (body.Element("keys")?.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (keys.Length == 0) throw IntacctErrors.Schema("delete needs keys.");
        var records = keys.Select(k => company.FindByRecordNo(definition, k)
            ?? throw IntacctFunctionException.Business("Record not found", $"No {definition.Label} with RECORDNO {k} exists.", "Check the key.", could)).ToList();
        foreach (var record in records) company.Delete(definition, record);
        return null;
    }

    private static XElement? LegacyDelete(IntacctCompany company, ObjectDef definition, string? id, ref XElement? key)
    {
        var record = company.FindById(definition, id ?? "")
            ?? throw IntacctFunctionException.Business("Record not found", $"No {definition.Label} with ID {id} exists.", "Check the ID.", $"Could not delete {definition.Label} record.");
        company.Delete(definition, record);
        key = new XElement("key", id);
        return null;
    }

    /// <summary>read and readByName answer with the object name in upper case (intacct-sdk-php test/Intacct/Xml/Response/ResultTest.php testReadClass).</summary>
    private static XElement Read(IntacctCompany company, XElement body, bool byName)
    {
        var definition = Definition(company, body.Element("object")?.Value);
        company.EnsureAllowed(definition, "view");
        var scope = new QueryScope(company, definition);
        var fields = Fields(scope, body.Element("fields")?.Value, problem => IntacctErrors.Schema(problem));
        var keys = (body.Element("keys")?.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (keys.Length > 100) throw IntacctErrors.Schema("read takes at most 100 keys.");
        var docParId = DocParId(company, definition, body);
        var records = (keys.Length == 0
                ? company.All(definition.Name).Take(100)
                : keys.Select(k => byName ? company.FindById(definition, k) : company.FindByRecordNo(definition, k)).Where(r => r is not null).Cast<XElement>())
            .Where(r => docParId is null || r.Element("DOCPARID")?.Value == docParId);
        var list = records.Select(r => Project(scope, r, fields, definition.Name)).ToList();
        return new XElement("data", new XAttribute("listtype", definition.Name), new XAttribute("count", list.Count), list);
    }

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

        // readByQuery answers in lower case (SDK ReadByQueryClassTest fixtures).
        var name = set.Definition.Name.ToLowerInvariant();
        return new XElement("data",
            new XAttribute("listtype", name),
            new XAttribute("count", page.Count),
            new XAttribute("totalcount", set.Total),
            new XAttribute("numremaining", rest.Count),
            new XAttribute("resultId", resultId),
            page.Select(r => Project(scope, r, set.Fields, name)));
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

    /// <summary>
    /// lookup: the object's fields (custom fields included, groups as dotted ids), types, enum values and relationships.
    /// The element names follow Sage's lookup answers as public integrations parse them; tools/README.md lists the shape as ours.
    /// </summary>
    private static XElement Lookup(IntacctCompany company, XElement body)
    {
        var definition = Definition(company, body.Element("object")?.Value);
        var docParId = DocParId(company, definition, body);
        IEnumerable<(string Id, FieldDef Field)> Leaves(IEnumerable<FieldDef> fields, string prefix) => fields.SelectMany(f => f.Kind == FieldKind.Group
            ? Leaves(f.Children, $"{prefix}{f.Name}.")
            : [($"{prefix}{f.Name}", f)]);
        var fields = Leaves(definition.Fields.Where(f => !f.WriteOnly), "").Select(leaf => new XElement("Field",
            new XElement("ID", leaf.Id),
            new XElement("LABEL", leaf.Id),
            new XElement("DESCRIPTION", leaf.Field.Assumption ?? ""),
            new XElement("REQUIRED", leaf.Field.Required ? "true" : "false"),
            new XElement("READONLY", leaf.Field.ReadOnly ? "true" : "false"),
            new XElement("DATATYPE", leaf.Field.Kind switch
            {
                FieldKind.Integer => "INTEGER",
                FieldKind.Decimal => "DECIMAL",
                FieldKind.Date => "DATE",
                FieldKind.DateTime => "TIMESTAMP",
                FieldKind.Boolean => "BOOLEAN",
                FieldKind.Enum => "ENUM",
                _ => "TEXT",
            }),
            new XElement("ISCUSTOM", leaf.Field.IsCustom ? "true" : "false"),
            leaf.Field.EnumValues.Count > 0 ? new XElement("VALIDVALUES", leaf.Field.EnumValues.Select(v => new XElement("VALIDVALUE", v))) : null));
        var relationships = definition.Relationships.Select(r => new XElement("Relationship",
            new XElement("OBJECTPATH", r.Path), new XElement("OBJECTNAME", r.Object), new XElement("LABEL", r.Path),
            new XElement("RELATIONSHIPTYPE", "MANY2ONE"), new XElement("RELATEDBY", r.By)));
        return new XElement("data", new XAttribute("listtype", "All"), new XAttribute("count", 1),
            new XElement("Type", new XAttribute("Name", definition.Name), new XAttribute("DocumentType", docParId ?? ""),
                new XElement("Fields", fields), new XElement("Relationships", relationships)));
    }

    /// <summary>inspect: the object's field names, or every object the company has for *.</summary>
    private static XElement Inspect(IntacctCompany company, XElement body)
    {
        var name = body.Element("object")?.Value.Trim();
        if (name is null or "" or "*")
            return new XElement("data", new XAttribute("listtype", "All"), new XAttribute("count", company.Definitions.All.Count()),
                company.Definitions.All.OrderBy(d => d.Name, StringComparer.Ordinal).Select(d => new XElement("Type", new XAttribute("typename", d.Name), d.Label)));
        var definition = Definition(company, name);
        return new XElement("data", new XAttribute("listtype", "All"), new XAttribute("count", 1),
            new XElement("Type", new XAttribute("Name", definition.Name),
                new XElement("Fields", definition.Fields.Where(f => !f.WriteOnly).Select(f => new XElement("Field", f.Name)))));
    }

    /// <summary>docparid narrows an Order Entry object to one transaction definition; other objects take none.</summary>
    private static string? DocParId(IntacctCompany company, ObjectDef definition, XElement body)
    {
        var docParId = body.Element("docparid")?.Value.Trim();
        if (string.IsNullOrEmpty(docParId)) return null;
        if (!definition.TakesDocParId) throw IntacctErrors.Schema($"docparid applies to Order Entry objects, not to {definition.Name}.");
        return company.TransactionDefinition(docParId, $"Could not read {definition.Label} records.").Name;
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
    /// A record as read returns it: every field in definition order (empty elements for empty values, groups nested) and,
    /// for a header with lines, its lines nested (SODOCUMENTENTRIES/sodocumententry); or only the requested fields, related
    /// and group paths as flat elements named by their path.
    /// </summary>
    private static XElement Project(QueryScope scope, XElement record, IReadOnlyList<string>? fields, string elementName)
    {
        var definition = scope.Definition;
        if (fields is not null)
            return new XElement(elementName, fields.Select(field => field.Contains('.')
                ? new XElement(field, scope.ValueAt(record, field) ?? "")
                : record.Element(definition.Field(field)!.Name) is { } value ? new XElement(value) : Empty(definition.Field(field)!)));
        var projected = new XElement(elementName, definition.Fields.Where(f => !f.WriteOnly).Select(field => record.Element(field.Name) is { } value ? new XElement(value) : Empty(field)));
        if (definition.Lines is { } lines)
        {
            var lineScope = new QueryScope(scope.Company, scope.Company.Definitions[lines.Object]);
            projected.Add(new XElement(lines.Element, scope.Company.LinesOf(definition, record).Select(line => Project(lineScope, line, null, lines.LineElement))));
        }

        return projected;
    }

    private static XElement Empty(FieldDef field) =>
        new(field.Name, field.Kind is FieldKind.Group ? field.Children.Where(c => c.Kind != FieldKind.Group).Select(c => new XElement(c.Name, "")) : null);

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
