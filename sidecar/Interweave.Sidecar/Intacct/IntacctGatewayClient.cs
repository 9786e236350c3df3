using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace Interweave.Sidecar.Intacct;

/// <summary>
/// Sends functions to the XML gateway: writes the envelope, logs in or reuses the API session (renewing it
/// once, transparently, when Intacct no longer accepts it), applies the resilience pipeline, and turns
/// every answer into typed results or an <see cref="IntacctException"/> of a known class.
/// </summary>
public sealed partial class IntacctGatewayClient(
    HttpClient http,
    IntacctSessionCache sessions,
    ResiliencePipelineProvider<string> pipelines,
    IOptions<IntacctOptions> options,
    RemoteCallMeter meter,
    ConnectionHealth health,
    ILogger<IntacctGatewayClient> log)
{
    public const string Pipeline = "intacct";

    /// <summary>Runs the functions in one request (one round trip, one billable request). Function failures are results, not exceptions.</summary>
    public async Task<IntacctResponse> ExecuteAsync(IntacctConnectionSettings settings, IReadOnlyList<IntacctFunction> functions, bool transaction, CancellationToken cancellationToken)
    {
        if (functions.Count == 0) throw new ArgumentException("At least one function is needed.", nameof(functions));
        // A request that is not safe to send again reports a lost answer as an unknown outcome, for the caller to settle.
        var isWrite = functions.Any(f => !f.Replayable);
        var pipeline = pipelines.GetPipeline(Pipeline);
        return await pipeline.ExecuteAsync(async token =>
        {
            var session = await sessions.GetAsync(settings, LoginAsync, token);
            try
            {
                return await WorkedAsync(await SendAsync(settings, session, functions, transaction, isWrite, token), token);
            }
            catch (IntacctException ex) when (ex.Level == IntacctErrorLevel.Authentication)
            {
                // Nothing ran: an authentication failure stops Intacct before the first function.
                log.LogInformation("Intacct session for {CompanyId} no longer accepted; logging in again", settings.CompanyId);
                sessions.Invalidate(settings, session);
                session = await sessions.GetAsync(settings, LoginAsync, token);
                return await WorkedAsync(await SendAsync(settings, session, functions, transaction, isWrite, token), token);
            }
        }, cancellationToken);
    }

    /// <summary>A signed-in request was answered (whatever its functions came to): the connection works.</summary>
    private async Task<IntacctResponse> WorkedAsync(IntacctResponse response, CancellationToken cancellationToken)
    {
        await health.SucceededAsync(IntacctConnectionSettings.System, cancellationToken);
        return response;
    }

    /// <summary>Logs in with the web services user and opens an API session: the credential check of a connection test.</summary>
    public async Task<IntacctSession> LoginAsync(IntacctConnectionSettings settings, CancellationToken cancellationToken)
    {
        var response = await SendAsync(settings, null, [new GetApiSession(settings.EntityId)], transaction: false, isWrite: false, cancellationToken);
        var result = response.Results.Single();
        if (!result.Succeeded) throw IntacctResponseParser.FunctionFailure(result);
        var api = result.Records.Single();
        return new IntacctSession(
            api.Element("sessionid")?.Value ?? throw new IntacctException(RemoteFailure.Rejected, IntacctErrorLevel.Function, [], result.ControlId, "getAPISession answered without a session id."),
            SessionEndpoint(settings.EndpointUrl, api.Element("endpoint")?.Value),
            response.Authentication.CompanyId,
            response.Authentication.UserId,
            string.IsNullOrEmpty(api.Element("locationid")?.Value) ? null : api.Element("locationid")!.Value,
            response.Authentication.SessionTimeout);
    }

    /// <summary>One HTTP request, counted for the dashboard: its functions, its time, and whether it failed as a request.</summary>
    private async Task<IntacctResponse> SendAsync(IntacctConnectionSettings settings, IntacctSession? session, IReadOnlyList<IntacctFunction> functions, bool transaction, bool isWrite, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            var response = await SendUncountedAsync(settings, session, functions, transaction, isWrite, cancellationToken);
            failed = false;
            return response;
        }
        finally
        {
            meter.Record("intacct", functions.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started), failed);
        }
    }

    private async Task<IntacctResponse> SendUncountedAsync(IntacctConnectionSettings settings, IntacctSession? session, IReadOnlyList<IntacctFunction> functions, bool transaction, bool isWrite, CancellationToken cancellationToken)
    {
        var controlId = Guid.NewGuid().ToString("n");
        var body = WriteRequest(settings, session, functions, transaction, controlId);
        if (log.IsEnabled(LogLevel.Debug)) log.LogDebug("Intacct request {ControlId}: {RequestXml}", controlId, Mask(body));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(session?.EndpointUrl ?? settings.EndpointUrl))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/xml"),
        };
        HttpResponseMessage? response = null;
        try
        {
            string text;
            try
            {
                // Headers first, then the body under the cap and the same timeout: a huge or endless answer costs at most the cap.
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                text = await RemoteAnswers.ReadAsStringAsync(response.Content, options.Value.MaxResponseMegabytes * 1024L * 1024L, timeout.Token);
            }
            catch (RemoteAnswerTooLargeException ex)
            {
                throw new IntacctException(isWrite ? RemoteFailure.UnknownOutcome : RemoteFailure.Transient, IntacctErrorLevel.Transport, [], controlId,
                    $"Intacct's answer was longer than Interweave:Intacct:MaxResponseMegabytes ({options.Value.MaxResponseMegabytes} MB) and was not read further.", ex);
            }
            catch (HttpRequestException ex) when (RemoteHosts.RefusalIn(ex) is { } refused)
            {
                throw new IntacctException(RemoteFailure.Rejected, IntacctErrorLevel.Transport, [], controlId, $"The sidecar did not connect to Intacct: {refused.Message}", ex);
            }
            catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
            {
                // The request never left: safe to send again, even a write.
                throw new IntacctException(RemoteFailure.Transient, IntacctErrorLevel.Transport, [], controlId, $"Intacct could not be reached: {ex.Message}", ex);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new IntacctException(isWrite ? RemoteFailure.UnknownOutcome : RemoteFailure.Transient, IntacctErrorLevel.Transport, [], controlId,
                    $"The connection to Intacct failed before an answer arrived: {ex.Message}", ex);
            }

            return Interpret(response, text, controlId, isWrite);
        }
        finally
        {
            response?.Dispose();
        }
    }

    private IntacctResponse Interpret(HttpResponseMessage response, string text, string controlId, bool isWrite)
    {
        if (log.IsEnabled(LogLevel.Debug)) log.LogDebug("Intacct response {ControlId} ({StatusCode}): {ResponseXml}", controlId, (int)response.StatusCode, Mask(text));
        if ((int)response.StatusCode is >= 300 and < 400)
            // Redirects are never followed (the handler's AllowAutoRedirect is off): a 307 or 308 would carry the passwords to the new address.
            throw new IntacctException(RemoteFailure.Rejected, IntacctErrorLevel.Transport, [], controlId,
                $"Intacct's endpoint answered with a redirect (HTTP {(int)response.StatusCode}), which the sidecar does not follow: the passwords go only to the endpoint they were entered for. Enter the gateway's own address as the endpoint URL.");
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            throw new IntacctException(RemoteFailure.RateLimited, IntacctErrorLevel.Transport, [], controlId, "Intacct refused the request: too many requests (GW-0010).");
        if ((int)response.StatusCode >= 500)
            throw new IntacctException(isWrite ? RemoteFailure.UnknownOutcome : RemoteFailure.Transient, IntacctErrorLevel.Transport, [], controlId, $"Intacct answered HTTP {(int)response.StatusCode}.");
        try
        {
            return IntacctResponseParser.Parse(text, controlId);
        }
        catch (IntacctException ex) when (ex.Level == IntacctErrorLevel.Transport && isWrite)
        {
            // An HTML page in place of XML: a proxy answered, and the gateway may have committed behind it.
            throw new IntacctException(RemoteFailure.UnknownOutcome, ex.Level, ex.Errors, controlId, ex.Message, ex);
        }
    }

    /// <summary>
    /// Where the session's requests go. getAPISession names an endpoint, and every later request carries the sender
    /// password and the session id there, so it is used only when it stays with the configured gateway: the same
    /// address, or https on the configured host, or https under intacct.com when the configured host is Intacct's.
    /// Anything else keeps the configured URL, with a warning.
    /// </summary>
    private string SessionEndpoint(string configured, string? offered)
    {
        if (string.IsNullOrWhiteSpace(offered)) return configured;
        offered = offered.Trim();
        if (IsSameGateway(configured, offered)) return offered;
        log.LogWarning("Intacct's getAPISession named an endpoint on {OfferedHost}, which is not the configured gateway's host; requests stay with the configured endpoint URL",
            Uri.TryCreate(offered, UriKind.Absolute, out var uri) ? uri.Host : "(not a URL)");
        return configured;
    }

    internal static bool IsSameGateway(string configured, string offered)
    {
        if (!Uri.TryCreate(offered, UriKind.Absolute, out var o) || !Uri.TryCreate(configured, UriKind.Absolute, out var c)) return false;
        if (o.Scheme is not ("https" or "http") || o.UserInfo.Length > 0 || o.Query.Length > 0 || o.Fragment.Length > 0) return false;
        if (Uri.Compare(o, c, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0) return true;
        if (o.Scheme != "https" || o.Port != 443) return false;
        static bool Intacct(string host) => host.Equals("intacct.com", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".intacct.com", StringComparison.OrdinalIgnoreCase);
        return o.Host.Equals(c.Host, StringComparison.OrdinalIgnoreCase) || (Intacct(c.Host) && Intacct(o.Host));
    }

    internal static string WriteRequest(IntacctConnectionSettings settings, IntacctSession? session, IReadOnlyList<IntacctFunction> functions, bool transaction, string controlId)
    {
        var builder = new StringBuilder();
        using (var xml = XmlWriter.Create(builder, new XmlWriterSettings { Encoding = Encoding.UTF8, Indent = false, OmitXmlDeclaration = false }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("request");
            xml.WriteStartElement("control");
            xml.WriteElementString("senderid", settings.SenderId);
            xml.WriteElementString("password", settings.SenderPassword);
            xml.WriteElementString("controlid", controlId);
            xml.WriteElementString("uniqueid", "false");
            xml.WriteElementString("dtdversion", "3.0");
            xml.WriteElementString("includewhitespace", "false");
            xml.WriteEndElement();
            xml.WriteStartElement("operation");
            xml.WriteAttributeString("transaction", transaction ? "true" : "false");
            xml.WriteStartElement("authentication");
            if (session is not null)
            {
                xml.WriteElementString("sessionid", session.SessionId);
            }
            else
            {
                xml.WriteStartElement("login");
                xml.WriteElementString("userid", settings.UserId);
                xml.WriteElementString("companyid", settings.CompanyId);
                xml.WriteElementString("password", settings.UserPassword);
                if (!string.IsNullOrEmpty(settings.EntityId)) xml.WriteElementString("locationid", settings.EntityId);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteStartElement("content");
            foreach (var function in functions) function.Write(xml);
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        // StringBuilder output declares utf-16; the body is sent as UTF-8.
        return builder.ToString().Replace("encoding=\"utf-16\"", "encoding=\"UTF-8\"", StringComparison.Ordinal);
    }

    /// <summary>Passwords and session ids never reach a log line.</summary>
    internal static string Mask(string xml) => SecretElements().Replace(xml, "<$1>***</$1>");

    [GeneratedRegex("<(password|sessionid)>[^<]*</(?:password|sessionid)>", RegexOptions.IgnoreCase)]
    private static partial Regex SecretElements();
}

public sealed record IntacctSession(string SessionId, string EndpointUrl, string CompanyId, string UserId, string? EntityId, DateTimeOffset? ExpiresAt);

/// <summary>One API session per connection, reused until it expires; logins are serialised so a burst makes one.</summary>
public sealed class IntacctSessionCache(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, IntacctSession> _sessions = new();
    private readonly SemaphoreSlim _login = new(1, 1);

    public async Task<IntacctSession> GetAsync(IntacctConnectionSettings settings, Func<IntacctConnectionSettings, CancellationToken, Task<IntacctSession>> login, CancellationToken cancellationToken)
    {
        var key = Key(settings);
        if (_sessions.TryGetValue(key, out var session) && IsFresh(session)) return session;
        await _login.WaitAsync(cancellationToken);
        try
        {
            if (_sessions.TryGetValue(key, out session) && IsFresh(session)) return session;
            session = await login(settings, cancellationToken);
            _sessions[key] = session;
            return session;
        }
        finally
        {
            _login.Release();
        }
    }

    public void Invalidate(IntacctConnectionSettings settings, IntacctSession session) =>
        _sessions.TryRemove(new KeyValuePair<string, IntacctSession>(Key(settings), session));

    public void Clear() => _sessions.Clear();

    // A minute of slack so a session does not expire between our check and Intacct's.
    private bool IsFresh(IntacctSession session) => session.ExpiresAt is null || session.ExpiresAt > time.GetUtcNow().AddMinutes(1);

    private static string Key(IntacctConnectionSettings s) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join("\n", s.EndpointUrl, s.SenderId, s.SenderPassword, s.CompanyId, s.UserId, s.UserPassword, s.EntityId))));
}
