using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Security;

/// <summary>Authenticates <c>X-Api-Key</c> (or <c>Authorization: Bearer</c>) and answers 401/403/429 as problem details.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyService keys,
    FailedAuthenticationThrottle throttle,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    private const string ThrottledItem = "interweave.auth.throttled";
    private const string ThrottledAddress = "address";
    private const string ThrottledKey = "key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey(Request);
        if (presented is null) return AuthenticateResult.NoResult();

        // A key whose allowance of failures is spent is not checked at all until the minute ends, whatever the address:
        // a run of guesses at one key from many addresses learns nothing more (security review F11). The key's owner
        // waits at most a minute; a generated key's prefix is known only to those who hold the key or the store.
        var family = ApiKeyService.FamilyOf(presented);
        if (throttle.IsKeyBlocked(family))
        {
            Context.Items[ThrottledItem] = ThrottledKey;
            return AuthenticateResult.Fail("Too many failed attempts at this API key.");
        }

        // A valid key passes even from an address whose failures are throttled: that address may be shared (a Creatio
        // server, a proxy, a NAT). The address throttle keeps a flood of wrong keys from filling the log, answering it
        // 429 without logging each one.
        var address = ClientAddress();
        var identity = await keys.ValidateAsync(presented, Context.RequestAborted);
        if (identity is null && throttle.IsBlocked(address))
        {
            Context.Items[ThrottledItem] = ThrottledAddress;
            return AuthenticateResult.Fail("Too many failed API key attempts.");
        }

        if (identity is null)
        {
            throttle.RecordFailure(address, family);
            Logger.LogWarning("Rejected an API key from {ClientAddress}", address);
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, identity.Id),
                new Claim(ClaimTypes.Name, identity.Name),
                new Claim(ClaimTypes.Role, identity.Role),
            ],
            SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.TryGetValue(ThrottledItem, out var throttled))
        {
            Response.Headers.RetryAfter = "60";
            return WriteProblemAsync(StatusCodes.Status429TooManyRequests, "Too many failed attempts", throttled is ThrottledKey
                ? "Too many wrong attempts at this API key in the last minute, from all addresses; it is not checked until the minute ends. Wait a minute before trying again."
                : "This address sent too many invalid API keys; wait a minute before trying again.");
        }

        return WriteProblemAsync(StatusCodes.Status401Unauthorized, "API key required",
            $"Send a valid API key in the {HeaderName} header. An admin creates keys with 'keys create' or POST /api/keys.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Not allowed for this key",
            "This API key's role does not allow this operation; it needs the admin role.");

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    private string ClientAddress() => Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static string? PresentedKey(HttpRequest request)
    {
        var header = request.Headers[HeaderName].ToString();
        if (!string.IsNullOrWhiteSpace(header)) return header.Trim();
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }
}
