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
public sealed partial class IntacctGateway
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
