using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Interweave.Simulators.Creatio;

/// <summary>
/// Creatio's external API: AuthService login with cookies and BPMCSRF, OAuth client credentials, and OData 4 on
/// /0/odata and /odata with Creatio's JSON shapes, error bodies and limits.
/// </summary>
public sealed class CreatioSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Session> _sessions = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new();
    private readonly Random _random;
    private int _inFlight;

    private sealed record Session(string Csrf)
    {
        public DateTimeOffset LastUsed { get; set; }

        public int RequestsServed;
    }

    private CreatioSimulator(WebApplication app, CreatioSimulatorOptions options, TimeProvider time)
    {
        _app = app;
        _time = time;
        Options = options;
        var model = CreatioModel.Standard();
        var package = options.PackageFolder ?? CreatioModel.FindPackageFolder();
        if (package is not null) model.LoadPackage(package);
        Data = new CreatioData(model, time);
        if (package is not null) CreatioPackageData.Install(Data, package);
        CreatioDemoSeed.Apply(Data, options.Seed == "demo");
        _random = options.RandomSeed is { } seed ? new Random(seed) : new Random();
    }

    public CreatioSimulatorOptions Options { get; }

    internal CreatioData Data { get; }

    public Uri BaseAddress => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public int Logins;
    public int TokensIssued;
    public int InjectedFaults;

    /// <summary>Sessions ended by <see cref="CreatioSimulatorOptions.SessionRequestLimit"/>.</summary>
    public int SessionsExpiredByLimit;

    /// <summary>HTTP requests to the OData service (a $batch counts once), for tests and benchmarks that count round trips.</summary>
    public int RequestsReceived;

    /// <summary>Sub-requests and requests answered, by "METHOD Entity" (for tests that count round trips).</summary>
    public ConcurrentDictionary<string, int> Calls { get; } = new();

    public static async Task<CreatioSimulator> StartAsync(CreatioSimulatorOptions options, string url = "http://127.0.0.1:0", TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var simulator = new CreatioSimulator(app, options, time ?? TimeProvider.System);
        app.Use(simulator.TransportAsync);
        // Both forms of the login and OData addresses (.NET Framework sites under /0, .NET 8 sites without): clio's
        // ServiceUrlBuilder and Creatio Academy's OData 4 pages.
        app.MapPost("/ServiceModel/AuthService.svc/Login", simulator.LoginAsync);
        app.MapPost("/0/ServiceModel/AuthService.svc/Login", simulator.LoginAsync);
        app.MapPost("/connect/token", simulator.TokenAsync);
        foreach (var prefix in new[] { "/0/odata", "/odata" })
        {
            app.Map(prefix + "/{**path}", simulator.ODataAsync);
        }

        await app.StartAsync();
        return simulator;
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <summary>Forgets every forms session, as an application pool recycle does: the next call answers 401.</summary>
    public void ExpireSessions() => _sessions.Clear();

    private async Task TransportAsync(HttpContext context, RequestDelegate next)
    {
        // Creatio documents no throttling; the 503 for too many requests and the fault rate are ours (tools/README.md, Known differences).
        if (Interlocked.Increment(ref _inFlight) > Options.MaxConcurrency)
        {
            Interlocked.Decrement(ref _inFlight);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("Service Unavailable");
            return;
        }

        try
        {
            if (Options.LatencyMs > 0) await Task.Delay(Options.LatencyMs, context.RequestAborted);
            bool fault;
            lock (_random) fault = Options.FaultRate > 0 && _random.NextDouble() < Options.FaultRate;
            if (fault)
            {
                Interlocked.Increment(ref InjectedFaults);
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body><h1>503 Service Unavailable</h1></body></html>");
                return;
            }

            await next(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task LoginAsync(HttpContext context)
    {
        Interlocked.Increment(ref Logins);
        JsonObject? body = null;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
        }

        // Creatio answers 200 either way; the body's Code tells (Academy; Creatio.Client's CreatioClient.Login treats "Code":1 as unauthorized).
        if ((string?)body?["UserName"] != Options.UserName || (string?)body?["UserPassword"] != Options.UserPassword)
        {
            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["Code"] = 1,
                ["Message"] = "Either user name or password is incorrect.",
                ["Exception"] = null,
                ["PasswordChangeUrl"] = null,
                ["RedirectUrl"] = null,
            });
            return;
        }

        // The four cookies of a real login, UserName as the char codes of the login (creatio.md §5.2, a captured cloud Set-Cookie).
        var auth = Token(48);
        var csrf = Token(16);
        _sessions[auth] = new Session(csrf) { LastUsed = _time.GetUtcNow() };
        context.Response.Headers.Append("Set-Cookie", $"BPMLOADER={Token(12)}; path=/; HttpOnly");
        context.Response.Headers.Append("Set-Cookie", $".ASPXAUTH={auth}; path=/; HttpOnly");
        context.Response.Headers.Append("Set-Cookie", $"BPMCSRF={csrf}; path=/");
        context.Response.Headers.Append("Set-Cookie", $"UserName={string.Join('|', Options.UserName.Select(c => (int)c))}; path=/; HttpOnly");
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["Code"] = 0,
            ["Message"] = "",
            ["Exception"] = null,
            ["PasswordChangeUrl"] = null,
            ["RedirectUrl"] = null,
        });
    }

    private async Task TokenAsync(HttpContext context)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
        if (form is null || form["grant_type"] != "client_credentials")
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = "unsupported_grant_type" });
            return;
        }

        if (form["client_id"] != Options.ClientId || form["client_secret"] != Options.ClientSecret)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = "invalid_client" });
            return;
        }

        // Identity Service's client-credentials answer: access_token, expires_in 3600, token_type Bearer (creatio.md §5.3, clio run log).
        Interlocked.Increment(ref TokensIssued);
        var token = Token(64);
        _tokens[token] = _time.GetUtcNow() + Options.TokenLifetime;
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["access_token"] = token,
            ["expires_in"] = (int)Options.TokenLifetime.TotalSeconds,
            ["token_type"] = "Bearer",
            ["scope"] = "ApplicationAccess",
        });
    }

    /// <summary>Who is calling: a valid bearer token, or a live forms session (with BPMCSRF on writes).</summary>
    private (bool Allowed, int Status, JsonObject? Body) Authorize(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return _tokens.TryGetValue(authorization[7..], out var expires) && expires > _time.GetUtcNow()
                ? (true, 200, null)
                : (false, 401, AuthenticationFailed());
        }

        var auth = context.Request.Cookies[".ASPXAUTH"];
        if (auth is null || !_sessions.TryGetValue(auth, out var session) || _time.GetUtcNow() - session.LastUsed > Options.SessionTimeout)
        {
            if (auth is not null) _sessions.TryRemove(auth, out _);
            return (false, 401, AuthenticationFailed());
        }

        if (Options.SessionRequestLimit > 0 && Interlocked.Increment(ref session.RequestsServed) > Options.SessionRequestLimit)
        {
            _sessions.TryRemove(auth, out _);
            Interlocked.Increment(ref SessionsExpiredByLimit);
            return (false, 401, AuthenticationFailed());
        }

        session.LastUsed = _time.GetUtcNow();
        // BPMCSRF on every write since 7.10 (CreatioClient.AddCsrfToken); the 403 status for a missing one is unconfirmed (Known differences).
        if (!HttpMethods.IsGet(context.Request.Method) && context.Request.Headers["BPMCSRF"].ToString() != session.Csrf)
            return (false, 403, CreatioODataException.Error(403, "CSRF token is missing or does not match the BPMCSRF cookie.", type: "System.Security.SecurityException").Body);
        return (true, 200, null);
    }

    /// <summary>What a .svc endpoint answers an expired or missing session with, as clio's tests captured it; OData is assumed to answer the same.</summary>
    private static JsonObject AuthenticationFailed() => new()
    {
        ["Message"] = "Authentication failed.",
        ["StackTrace"] = null,
        ["ExceptionType"] = "System.InvalidOperationException",
    };

    private async Task ODataAsync(HttpContext context, string? path)
    {
        Interlocked.Increment(ref RequestsReceived);
        var (allowed, status, denial) = Authorize(context);
        if (!allowed)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(denial);
            return;
        }

        var root = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{(context.Request.Path.StartsWithSegments("/0") ? "/0" : "")}/odata/";
        path ??= "";
        if (path == "$batch" && HttpMethods.IsPost(context.Request.Method))
        {
            await BatchAsync(context, root);
            return;
        }

        if (path == "$metadata" && HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.ContentType = "application/xml; charset=utf-8";
            context.Response.Headers["OData-Version"] = "4.0";
            string csdl;
            lock (Data.Lock) csdl = CreatioMetadata.Csdl(Data.Model);
            await context.Response.WriteAsync(csdl);
            return;
        }

        JsonObject? body = null;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
            }
            catch (JsonException ex)
            {
                await WriteAsync(context, new ODataResult(400, CreatioODataException.Error(400, $"The request body is not valid JSON: {ex.Message}").Body));
                return;
            }
        }

        var result = Execute(context.Request.Method, path, context.Request.QueryString.Value ?? "", body, root);
        await WriteAsync(context, result);
    }

    private static async Task WriteAsync(HttpContext context, ODataResult result)
    {
        context.Response.StatusCode = result.Status;
        if (result.Body is null) return;
        context.Response.ContentType = "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8";
        context.Response.Headers["OData-Version"] = "4.0";
        await context.Response.WriteAsync(result.Body.ToJsonString(WireJson));
    }

    internal sealed record ODataResult(int Status, JsonObject? Body);

    // Creatio writes apostrophes, ampersands and accents as they are, not as \u escapes.
    private static readonly JsonSerializerOptions WireJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal ODataResult Execute(string method, string path, string query, JsonObject? body, string root)
    {
        try
        {
            lock (Data.Lock) return new CreatioOData(Data, Options, root).Execute(method, path, query, body, CreatioData.SupervisorId, Calls);
        }
        catch (CreatioODataException ex)
        {
            return new ODataResult(ex.Status, ex.Body);
        }
    }

    /// <summary>
    /// OData JSON batch: up to 100 requests; the first failure stops the rest unless Prefer: continue-on-error (Academy, 7.16.1+;
    /// the response shape is standard OData JSON batch, not seen in a Creatio capture).
    /// </summary>
    private async Task BatchAsync(HttpContext context, string root)
    {
        var batch = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        var requests = batch?["requests"] as JsonArray;
        if (requests is null)
        {
            await WriteAsync(context, new ODataResult(400, CreatioODataException.Error(400, "The batch request must be a JSON object with a 'requests' array.").Body));
            return;
        }

        if (requests.Count > 100)
        {
            await WriteAsync(context, new ODataResult(400, CreatioODataException.Error(400, $"The batch has {requests.Count} requests; at most 100 are allowed.").Body));
            return;
        }

        var continueOnError = context.Request.Headers["Prefer"].ToString().Contains("continue-on-error", StringComparison.OrdinalIgnoreCase);
        var responses = new JsonArray();
        foreach (var request in requests.OfType<JsonObject>())
        {
            var url = (string?)request["url"] ?? "";
            var marker = url.IndexOf("/odata/", StringComparison.Ordinal);
            if (marker >= 0) url = url[(marker + "/odata/".Length)..];
            var queryStart = url.IndexOf('?', StringComparison.Ordinal);
            var (path, query) = queryStart >= 0 ? (url[..queryStart], url[queryStart..]) : (url, "");
            var result = Execute(((string?)request["method"] ?? "GET").ToUpperInvariant(), path, query, request["body"] as JsonObject, root);
            responses.Add(new JsonObject
            {
                ["id"] = (string?)request["id"],
                ["status"] = result.Status,
                ["headers"] = new JsonObject { ["Content-Type"] = "application/json; odata.metadata=minimal" },
                ["body"] = result.Body,
            });
            if (result.Status >= 400 && !continueOnError) break;
        }

        await WriteAsync(context, new ODataResult(200, new JsonObject { ["responses"] = responses }));
    }

    private static string Token(int bytes) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
