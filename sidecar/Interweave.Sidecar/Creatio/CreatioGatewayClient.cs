using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Polly.Registry;

namespace Interweave.Sidecar.Creatio;

/// <summary>
/// HTTP to Creatio: signs in (forms login with cookies and the BPMCSRF header, or OAuth client credentials),
/// signs in again once when Creatio answers 401, applies the resilience pipeline, and turns every failure into
/// a <see cref="CreatioException"/> of a known class. Cookies and tokens never reach a log line.
/// </summary>
public sealed class CreatioGatewayClient(
    HttpClient http,
    ResiliencePipelineProvider<string> pipelines,
    IOptions<CreatioOptions> options,
    TimeProvider time,
    RemoteCallMeter meter,
    ConnectionHealth health,
    ILogger<CreatioGatewayClient> log)
{
    public const string Pipeline = "creatio";

    private readonly ConcurrentDictionary<string, Credentials> _credentials = new();
    private readonly SemaphoreSlim _signIn = new(1, 1);

    /// <summary>What a signed-in request carries: cookies and the CSRF token, or a bearer token.</summary>
    private sealed record Credentials(string? Cookie, string? Csrf, string? BearerToken, DateTimeOffset? ExpiresAt);

    private Uri ODataUrl(CreatioConnectionSettings settings, string relativeUrl) =>
        RemoteUrls.Combine(settings.BaseUrl, $"{options.Value.ODataPath.Trim('/')}/{relativeUrl}");

    /// <summary>
    /// Sends one request. GET, PATCH and DELETE are idempotent and retried on transient faults; a POST whose answer
    /// was lost is reported as an unknown outcome for the caller to check, unless the caller says it is safe to send
    /// again (<paramref name="replaySafe"/>: a $batch of reads, or of writes made safe to repeat).
    /// </summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(CreatioConnectionSettings settings, HttpMethod method, string relativeUrl, JsonNode? body, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? headers = null, bool? replaySafe = null)
    {
        var idempotent = replaySafe ?? method != HttpMethod.Post;
        var pipeline = pipelines.GetPipeline(Pipeline);
        return await pipeline.ExecuteAsync(async token =>
        {
            var (status, json) = await SignedInAsync(settings, credentials => SendOnceAsync(settings, credentials, method, relativeUrl, body, idempotent, headers, token), token);
            await WorkedAsync(status, token);
            if ((int)status >= 400) throw Failure(status, json, method, relativeUrl, idempotent);
            return (status, json);
        }, cancellationToken);
    }

    /// <summary>
    /// A signed-in request was answered: the connection works unless the answer was a refused sign-in or permission,
    /// too many requests or a server fault (a refused record, 400 or 404, is the record's problem, not the connection's).
    /// </summary>
    private async Task WorkedAsync(HttpStatusCode status, CancellationToken cancellationToken)
    {
        if ((int)status < 500 && status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests))
            await health.SucceededAsync(CreatioConnectionSettings.System, cancellationToken);
    }

    /// <summary>Sends with the cached sign-in; on a 401, which Creatio did nothing with, signs in once more and sends again.</summary>
    private async Task<(HttpStatusCode Status, T Body)> SignedInAsync<T>(CreatioConnectionSettings settings, Func<Credentials, Task<(HttpStatusCode, T)>> send,
        CancellationToken cancellationToken)
    {
        var credentials = await SignInAsync(settings, cancellationToken);
        var answer = await send(credentials);
        if (answer.Item1 != HttpStatusCode.Unauthorized) return answer;
        log.LogInformation("Creatio session for {BaseUrl} expired; signing in again", settings.BaseUrl);
        _credentials.TryRemove(new KeyValuePair<string, Credentials>(Key(settings), credentials));
        return await send(await SignInAsync(settings, cancellationToken));
    }

    /// <summary>Signs in now with these settings, without the cache: the connection test.</summary>
    public async Task SignInFreshAsync(CreatioConnectionSettings settings, CancellationToken cancellationToken)
    {
        _credentials.TryRemove(Key(settings), out _);
        await SignInAsync(settings, cancellationToken);
    }

    private async Task<Credentials> SignInAsync(CreatioConnectionSettings settings, CancellationToken cancellationToken)
    {
        var key = Key(settings);
        if (_credentials.TryGetValue(key, out var cached) && (cached.ExpiresAt is null || cached.ExpiresAt > time.GetUtcNow().AddMinutes(1))) return cached;
        await _signIn.WaitAsync(cancellationToken);
        try
        {
            if (_credentials.TryGetValue(key, out cached) && (cached.ExpiresAt is null || cached.ExpiresAt > time.GetUtcNow().AddMinutes(1))) return cached;
            var credentials = settings.AuthMode == CreatioAuthModes.OAuth
                ? await RequestTokenAsync(settings, cancellationToken)
                : await LoginAsync(settings, cancellationToken);
            _credentials[key] = credentials;
            return credentials;
        }
        finally
        {
            _signIn.Release();
        }
    }

    private async Task<Credentials> LoginAsync(CreatioConnectionSettings settings, CancellationToken cancellationToken)
    {
        var url = RemoteUrls.Combine(settings.BaseUrl, "ServiceModel/AuthService.svc/Login");
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            // Creatio's AuthService expects these exact (PascalCase) names.
            Content = new StringContent(new JsonObject { ["UserName"] = settings.UserName, ["UserPassword"] = settings.Password }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("ForceUseSession", "true");
        var (response, text) = await TransmitAsync(request, idempotent: true, MaxResponseBytes, cancellationToken);
        using var _ = response;
        JsonNode? json = null;
        try
        {
            json = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
        }

        if (response.StatusCode == HttpStatusCode.NotFound || json is null)
            throw new CreatioException(RemoteFailure.Rejected, $"No Creatio login service answered at {url} (HTTP {(int)response.StatusCode}).", (int)response.StatusCode)
            {
                Hint = "Check the base URL: it is the site address (https://yoursite.creatio.com), without /0 or a page path.",
            };
        if ((int)response.StatusCode >= 500) throw new CreatioException(RemoteFailure.Transient, $"Creatio's login answered HTTP {(int)response.StatusCode}.", (int)response.StatusCode);
        if ((int?)json["Code"] != 0)
            throw new CreatioException(RemoteFailure.Unauthorized, $"Creatio refused the sign-in: {(string?)json["Message"]}", (int)response.StatusCode)
            {
                Hint = "Creatio did not accept the user name or password of the integration user.",
            };

        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Select(v => v.Split(';', 2)[0]).Where(v => v.Contains('=', StringComparison.Ordinal)).ToList()
            : [];
        var csrf = cookies.FirstOrDefault(c => c.StartsWith("BPMCSRF=", StringComparison.Ordinal))?["BPMCSRF=".Length..];
        return new Credentials(string.Join("; ", cookies), csrf, null, null);
    }

    private async Task<Credentials> RequestTokenAsync(CreatioConnectionSettings settings, CancellationToken cancellationToken)
    {
        var url = RemoteUrls.Combine(settings.IdentityUrl!, "connect/token");
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = settings.ClientId!,
                ["client_secret"] = settings.ClientSecret!,
                ["grant_type"] = "client_credentials",
            }),
        };
        var (response, text) = await TransmitAsync(request, idempotent: true, MaxResponseBytes, cancellationToken);
        using var _ = response;
        JsonNode? json = null;
        try
        {
            json = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
        }

        if ((int)response.StatusCode >= 500) throw new CreatioException(RemoteFailure.Transient, $"Creatio's identity service answered HTTP {(int)response.StatusCode}.", (int)response.StatusCode);
        if (!response.IsSuccessStatusCode || (string?)json?["access_token"] is not { Length: > 0 } token)
            throw new CreatioException(RemoteFailure.Unauthorized, $"Creatio's identity service refused the client credentials ({(string?)json?["error"] ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}).", (int)response.StatusCode)
            {
                Hint = "Check the OAuth client id and secret under System Designer > OAuth 2.0 integrated applications, and that the identity URL is the site's identity service (https://yoursite-is.creatio.com).",
            };
        var expiresIn = (int?)json!["expires_in"] ?? 3600;
        return new Credentials(null, null, token, time.GetUtcNow().AddSeconds(expiresIn));
    }

    private readonly ConcurrentDictionary<string, (DateTimeOffset ReadAt, string Text)> _metadata = new();

    /// <summary>How long a site's $metadata is reused: a real one runs to megabytes, and its model changes only when a package is installed.</summary>
    public static readonly TimeSpan MetadataLifetime = TimeSpan.FromMinutes(10);

    /// <summary>The site's OData $metadata (CSDL XML), read at most once per <see cref="MetadataLifetime"/> per site and user.</summary>
    public async Task<string> GetMetadataAsync(CreatioConnectionSettings settings, CancellationToken cancellationToken)
    {
        var key = Key(settings);
        if (_metadata.TryGetValue(key, out var cached) && time.GetUtcNow() - cached.ReadAt < MetadataLifetime) return cached.Text;
        var text = await GetDocumentAsync(settings, "$metadata", cancellationToken);
        _metadata[key] = (time.GetUtcNow(), text);
        return text;
    }

    /// <summary>
    /// Reads an OData document that is not JSON (the service's $metadata, CSDL XML) with the same sign-in, retries and
    /// failure classes as every other read; its text.
    /// </summary>
    private async Task<string> GetDocumentAsync(CreatioConnectionSettings settings, string relativeUrl, CancellationToken cancellationToken)
    {
        var pipeline = pipelines.GetPipeline(Pipeline);
        return await pipeline.ExecuteAsync(async token =>
        {
            var (status, text) = await SignedInAsync(settings, credentials => GetDocumentOnceAsync(settings, credentials, relativeUrl, token), token);
            await WorkedAsync(status, token);

            if ((int)status >= 400)
            {
                JsonNode? json = null;
                try
                {
                    json = JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                }

                throw Failure(status, json, HttpMethod.Get, relativeUrl, idempotent: true);
            }

            return text;
        }, cancellationToken);
    }

    private async Task<(HttpStatusCode, string)> GetDocumentOnceAsync(CreatioConnectionSettings settings, Credentials credentials, string relativeUrl, CancellationToken cancellationToken)
    {
        using var request = NewRequest(settings, credentials, HttpMethod.Get, relativeUrl, "application/xml");
        // $metadata runs to megabytes on a real site: it has its own, larger cap.
        var (response, text) = await TransmitAsync(request, idempotent: true, options.Value.MaxMetadataMegabytes * 1024L * 1024L, cancellationToken);
        using var _ = response;
        return (response.StatusCode, text);
    }

    private HttpRequestMessage NewRequest(CreatioConnectionSettings settings, Credentials credentials, HttpMethod method, string relativeUrl, string accept)
    {
        var request = new HttpRequestMessage(method, ODataUrl(settings, relativeUrl));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        request.Headers.Add("ForceUseSession", "true");
        if (credentials.BearerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.BearerToken);
        }
        else
        {
            request.Headers.Add("Cookie", credentials.Cookie);
            if (credentials.Csrf is not null) request.Headers.Add("BPMCSRF", credentials.Csrf);
        }

        return request;
    }

    private async Task<(HttpStatusCode, JsonNode?)> SendOnceAsync(CreatioConnectionSettings settings, Credentials credentials, HttpMethod method, string relativeUrl, JsonNode? body, bool idempotent, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        using var request = NewRequest(settings, credentials, method, relativeUrl, "application/json");

        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(name, value);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        log.LogDebug("Creatio {Method} {Url}", method.Method, relativeUrl);
        var (response, text) = await TransmitAsync(request, idempotent, MaxResponseBytes, cancellationToken);
        using var _ = response;
        log.LogDebug("Creatio {Method} {Url} answered {StatusCode}", method.Method, relativeUrl, (int)response.StatusCode);
        JsonNode? json = null;
        if (text.Length > 0)
        {
            try
            {
                json = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                // An HTML error page from a proxy or the login redirect.
                if ((int)response.StatusCode < 400)
                    throw new CreatioException(idempotent ? RemoteFailure.Transient : RemoteFailure.UnknownOutcome, $"Creatio answered {method.Method} {relativeUrl} with something that is not JSON.", (int)response.StatusCode);
            }
        }

        return (response.StatusCode, json);
    }

    private long MaxResponseBytes => options.Value.MaxResponseMegabytes * 1024L * 1024L;

    /// <summary>
    /// Sends and reads the answer under one timeout and a size cap (<paramref name="maxBytes"/>): reading stops once the
    /// cap is passed, so a huge or endless answer costs at most the cap. The caller disposes the response.
    /// </summary>
    private async Task<(HttpResponseMessage Response, string Text)> TransmitAsync(HttpRequestMessage request, bool idempotent, long maxBytes, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var failed = true;
        HttpResponseMessage? response = null;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var text = await RemoteAnswers.ReadAsStringAsync(response.Content, maxBytes, timeout.Token);
            failed = (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests;
            return (response, text);
        }
        catch (RemoteAnswerTooLargeException ex)
        {
            response?.Dispose();
            throw new CreatioException(idempotent ? RemoteFailure.Transient : RemoteFailure.UnknownOutcome,
                $"Creatio's answer to {request.Method.Method} was longer than {maxBytes / (1024 * 1024)} MB (Interweave:Creatio:MaxResponseMegabytes, or MaxMetadataMegabytes for $metadata) and was not read further.",
                null, null, ex);
        }
        catch (HttpRequestException ex) when (RemoteHosts.RefusalIn(ex) is { } refused)
        {
            throw new CreatioException(RemoteFailure.Rejected, $"The sidecar did not connect to Creatio: {refused.Message}", null, null, ex)
            {
                Hint = "An operator lists the site's host, and a private address it resolves to, in Interweave:AllowedRemoteHosts.",
            };
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            response?.Dispose();
            throw new CreatioException(RemoteFailure.Transient, $"Creatio could not be reached: {ex.Message}", null, null, ex)
            {
                Hint = "Check the base URL and that the sidecar can reach the Creatio site.",
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            response?.Dispose();
            throw new CreatioException(idempotent ? RemoteFailure.Transient : RemoteFailure.UnknownOutcome, $"The connection to Creatio failed before an answer arrived: {ex.Message}", null, null, ex);
        }
        finally
        {
            meter.Record("creatio", 1, System.Diagnostics.Stopwatch.GetElapsedTime(started), failed);
        }
    }

    internal static CreatioException Failure(HttpStatusCode status, JsonNode? body, HttpMethod method, string url, bool idempotent)
    {
        var message = (string?)body?["error"]?["message"] ?? (string?)body?["Message"] ?? $"HTTP {(int)status}";
        var detail = (string?)body?["error"]?["innererror"]?["message"] ?? (string?)body?["MessageDetail"];
        var code = (int)status;
        var failure = code switch
        {
            401 or 403 => RemoteFailure.Unauthorized,
            404 => RemoteFailure.NotFound,
            429 => RemoteFailure.RateLimited,
            >= 500 when detail?.Contains("duplicate key", StringComparison.OrdinalIgnoreCase) == true => RemoteFailure.Conflict,
            >= 500 when detail?.Contains("foreign key", StringComparison.OrdinalIgnoreCase) == true => RemoteFailure.Rejected,
            >= 500 when body?["error"] is not null => RemoteFailure.Rejected,
            >= 500 => idempotent ? RemoteFailure.Transient : RemoteFailure.UnknownOutcome,
            _ => RemoteFailure.Rejected,
        };
        var hint = code switch
        {
            403 => "The integration user lacks the rights this operation needs: grant it access to the object in Creatio (System Designer > Object permissions).",
            404 when body?["MessageDetail"] is not null => "Creatio has no such object in OData: install the Interweave package, or wait a minute after installing while Creatio rebuilds its OData model.",
            404 when body is null => "Nothing answers OData under this path. Sites on .NET 8 serve it at /odata/ rather than /0/odata/: set Interweave:Creatio:ODataPath to odata.",
            404 => null,
            _ => null,
        };
        return new CreatioException(failure, $"Creatio refused {method.Method} {url}: {message}", code, detail) { Hint = hint };
    }

    private static string Key(CreatioConnectionSettings s) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", s.BaseUrl, s.AuthMode, s.UserName, s.Password, s.ClientId, s.ClientSecret, s.IdentityUrl))));
}
