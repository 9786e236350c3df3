using Interweave.Sidecar.Configuration;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Security;
using Interweave.Sidecar.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Api;

/// <summary>
/// A secret field left out (or sent back as the mask that GET shows) keeps the stored value, so an admin
/// can change the endpoint without typing every password again.
/// </summary>
public sealed record IntacctConnectionRequest(
    string? CompanyId,
    string? SenderId,
    string? SenderPassword,
    string? UserId,
    string? UserPassword,
    string? EntityId,
    string? EndpointUrl);

public sealed record IntacctConnectionView(
    string CompanyId,
    string SenderId,
    string SenderPassword,
    string UserId,
    string UserPassword,
    string? EntityId,
    string EndpointUrl,
    ConnectionState State);

public sealed record CreatioConnectionRequest(
    string? BaseUrl,
    string? AuthMode,
    string? UserName,
    string? Password,
    string? ClientId,
    string? ClientSecret,
    string? IdentityUrl);

public sealed record CreatioConnectionView(
    string BaseUrl,
    string AuthMode,
    string? UserName,
    string? Password,
    string? ClientId,
    string? ClientSecret,
    string? IdentityUrl,
    ConnectionState State);

/// <summary>The outcome of a connection test.</summary>
/// <param name="Succeeded">Whether the system was reached and accepted the credentials.</param>
/// <param name="Target">What was reached: the Intacct company id, or the Creatio site address.</param>
/// <param name="User">The web services user (Intacct), or the integration user or OAuth client (Creatio).</param>
/// <param name="EntityId">The Intacct entity the session is bound to; null at the top level and for Creatio.</param>
/// <param name="Message">What happened, in words for the admin.</param>
public sealed record ConnectionTestResult(bool Succeeded, string Target, string User, string? EntityId, string Message);

public static class ConnectionsApi
{
    /// <summary>What GET shows in place of a stored secret.</summary>
    public const string SecretMask = "********";

    public static IEndpointRouteBuilder MapConnections(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/connections").WithTags("Connections").RequireAuthorization(Policies.Admin);
        group.MapGet("/intacct", GetIntacct).WithName("GetIntacctConnection");
        group.MapPut("/intacct", PutIntacct).WithName("PutIntacctConnection")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status502BadGateway)
            .Audited("connection", "update", _ => IntacctConnectionSettings.System, AuditApi.ConnectionAsync);
        group.MapPost("/intacct/test", TestIntacct).WithName("TestIntacctConnection")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status502BadGateway);
        group.MapGet("/creatio", GetCreatio).WithName("GetCreatioConnection");
        group.MapPut("/creatio", PutCreatio).WithName("PutCreatioConnection")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status502BadGateway)
            .Audited("connection", "update", _ => CreatioConnectionSettings.System, AuditApi.ConnectionAsync);
        group.MapPost("/creatio/test", TestCreatio).WithName("TestCreatioConnection")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status502BadGateway);
        return endpoints;
    }

    /// <summary>Shows the stored Intacct connection, secrets left out.</summary>
    /// <remarks>The passwords are never returned; the view says whether each is set. 404 until an admin has stored one.</remarks>
    internal static async Task<Results<Ok<IntacctConnectionView>, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>>> GetIntacct(
        ConnectionSettingsStore connections, CancellationToken cancellationToken)
    {
        var settings = await connections.GetAsync<IntacctConnectionSettings>(IntacctConnectionSettings.System, cancellationToken);
        if (settings is null) return NotConfigured("Intacct");
        return TypedResults.Ok(View(settings, await connections.GetStateAsync(IntacctConnectionSettings.System, cancellationToken)));
    }

    /// <summary>Stores the Intacct connection after a real sign-in.</summary>
    /// <remarks>Validates the settings with a real login (getAPISession) before anything is stored; a refused login answers 422 with Intacct's error number and correction, and nothing is stored. Secrets are encrypted at rest and go only to the host they were entered for: changing the endpoint needs the secrets again.</remarks>
    internal static async Task<Results<Ok<IntacctConnectionView>, ValidationProblem, JsonHttpResult<Microsoft.AspNetCore.Mvc.ProblemDetails>>> PutIntacct(
        IntacctConnectionRequest request, ConnectionSettingsStore connections, IntacctConnectionFactory intacct, IOptions<InterweaveOptions> options,
        RemoteHosts hosts, CancellationToken cancellationToken)
    {
        var existing = await connections.GetAsync<IntacctConnectionSettings>(IntacctConnectionSettings.System, cancellationToken);
        var validation = new RequestValidation();
        // The endpoint is the gateway itself (https://api.intacct.com/ia/xml/xmlgw.phtml): any path, no query or fragment.
        var endpointUrl = validation.RemoteUrl("endpointUrl", request.EndpointUrl ?? IntacctConnectionSettings.DefaultEndpointUrl, hosts, options.Value.AllowInsecureHttp, siteAddress: false);
        // A stored password is only ever sent where it was entered for: a new host needs the secrets typed again.
        var sameHost = SameDestination(endpointUrl, existing?.EndpointUrl);
        var settings = new IntacctConnectionSettings(
            CompanyId: validation.Required("companyId", request.CompanyId) ?? "",
            SenderId: validation.Required("senderId", request.SenderId) ?? "",
            SenderPassword: Secret(validation, "senderPassword", request.SenderPassword, existing?.SenderPassword, sameHost) ?? "",
            UserId: validation.Required("userId", request.UserId) ?? "",
            UserPassword: Secret(validation, "userPassword", request.UserPassword, existing?.UserPassword, sameHost) ?? "",
            EntityId: string.IsNullOrWhiteSpace(request.EntityId) ? null : request.EntityId.Trim(),
            EndpointUrl: endpointUrl ?? "");
        foreach (var (field, value) in new[] { ("companyId", request.CompanyId), ("senderId", request.SenderId), ("userId", request.UserId), ("entityId", request.EntityId) })
        {
            validation.MaxLength(field, value, 100);
            validation.PlainText(field, value);
        }

        foreach (var (field, value) in new[] { ("senderPassword", request.SenderPassword), ("userPassword", request.UserPassword) })
            validation.PlainText(field, value);
        if (!validation.IsValid) return TypedResults.ValidationProblem(validation.Errors, title: "The Intacct connection settings are incomplete or malformed.");

        try
        {
            await intacct.Create(settings).TestAsync(cancellationToken);
        }
        catch (IntacctException ex)
        {
            return RemoteProblems.From(ex, "Intacct did not accept these connection settings; nothing was saved.");
        }

        await connections.SaveAsync(IntacctConnectionSettings.System, settings, cancellationToken);
        await connections.RecordOutcomeAsync(IntacctConnectionSettings.System, null, cancellationToken);
        return TypedResults.Ok(View(settings, await connections.GetStateAsync(IntacctConnectionSettings.System, cancellationToken)));
    }

    /// <summary>Tests the stored Intacct connection now.</summary>
    /// <remarks>Signs in with the stored settings and records the outcome for /api/status. Answers which company, user and entity were reached.</remarks>
    internal static async Task<Results<Ok<ConnectionTestResult>, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>, JsonHttpResult<Microsoft.AspNetCore.Mvc.ProblemDetails>>> TestIntacct(
        ConnectionSettingsStore connections, IntacctConnectionFactory intacct, CancellationToken cancellationToken)
    {
        var connection = await intacct.CreateFromStoreAsync(cancellationToken);
        if (connection is null) return NotConfigured("Intacct");
        try
        {
            var session = await connection.TestAsync(cancellationToken);
            await connections.RecordOutcomeAsync(IntacctConnectionSettings.System, null, cancellationToken);
            return TypedResults.Ok(new ConnectionTestResult(true, session.CompanyId, session.UserId, session.EntityId, "Intacct accepted the sender and the web services user."));
        }
        catch (IntacctException ex)
        {
            await connections.RecordOutcomeAsync(IntacctConnectionSettings.System, ex.Errors.Count > 0 ? ex.Errors[0].ToString() : ex.Message, cancellationToken);
            return RemoteProblems.From(ex, "The Intacct connection test failed.");
        }
    }

    /// <summary>Shows the stored Creatio connection, secrets left out.</summary>
    /// <remarks>The password and client secret are never returned; the view says whether each is set. 404 until an admin has stored one.</remarks>
    internal static async Task<Results<Ok<CreatioConnectionView>, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>>> GetCreatio(
        ConnectionSettingsStore connections, CancellationToken cancellationToken)
    {
        var settings = await connections.GetAsync<CreatioConnectionSettings>(CreatioConnectionSettings.System, cancellationToken);
        if (settings is null) return NotConfigured("Creatio");
        return TypedResults.Ok(View(settings, await connections.GetStateAsync(CreatioConnectionSettings.System, cancellationToken)));
    }

    /// <summary>Stores the Creatio connection after a real sign-in.</summary>
    /// <remarks>Validates the settings with a real sign-in (forms or OAuth) and a one-row OData read before anything is stored. Secrets are encrypted at rest and go only to the host they were entered for.</remarks>
    internal static async Task<Results<Ok<CreatioConnectionView>, ValidationProblem, JsonHttpResult<Microsoft.AspNetCore.Mvc.ProblemDetails>>> PutCreatio(
        CreatioConnectionRequest request, ConnectionSettingsStore connections, CreatioConnectionFactory creatio, IOptions<InterweaveOptions> options,
        RemoteHosts hosts, CancellationToken cancellationToken)
    {
        var existing = await connections.GetAsync<CreatioConnectionSettings>(CreatioConnectionSettings.System, cancellationToken);
        var validation = new RequestValidation();
        var allowHttp = options.Value.AllowInsecureHttp;
        var baseUrl = validation.RemoteUrl("baseUrl", request.BaseUrl, hosts, allowHttp, siteAddress: true);
        var mode = (request.AuthMode ?? CreatioAuthModes.Forms).Trim().ToLowerInvariant();
        CreatioConnectionSettings? settings = null;
        switch (mode)
        {
            case CreatioAuthModes.Forms:
                settings = new CreatioConnectionSettings(
                    baseUrl ?? "", mode,
                    UserName: validation.Required("userName", request.UserName),
                    Password: Secret(validation, "password", request.Password, existing?.Password, SameDestination(baseUrl, existing?.BaseUrl)),
                    ClientId: null, ClientSecret: null, IdentityUrl: null);
                break;
            case CreatioAuthModes.OAuth:
                settings = new CreatioConnectionSettings(
                    baseUrl ?? "", mode, UserName: null, Password: null,
                    ClientId: validation.Required("clientId", request.ClientId),
                    ClientSecret: Secret(validation, "clientSecret", request.ClientSecret, existing?.ClientSecret,
                        SameDestination(baseUrl, existing?.BaseUrl) && SameDestination(request.IdentityUrl, existing?.IdentityUrl)),
                    IdentityUrl: validation.RemoteUrl("identityUrl", request.IdentityUrl, hosts, allowHttp, siteAddress: true));
                break;
            default:
                validation.Add("authMode", $"authMode must be '{CreatioAuthModes.Forms}' or '{CreatioAuthModes.OAuth}'.");
                break;
        }

        foreach (var (field, value) in new[] { ("userName", request.UserName), ("password", request.Password), ("clientId", request.ClientId), ("clientSecret", request.ClientSecret) })
            validation.PlainText(field, value);
        if (!validation.IsValid || settings is null)
            return TypedResults.ValidationProblem(validation.Errors, title: "The Creatio connection settings are incomplete or malformed.");

        try
        {
            await creatio.Create(settings).TestAsync(cancellationToken);
        }
        catch (CreatioException ex)
        {
            return RemoteProblems.From(ex, "Creatio did not accept these connection settings; nothing was saved.");
        }

        await connections.SaveAsync(CreatioConnectionSettings.System, settings, cancellationToken);
        await connections.RecordOutcomeAsync(CreatioConnectionSettings.System, null, cancellationToken);
        return TypedResults.Ok(View(settings, await connections.GetStateAsync(CreatioConnectionSettings.System, cancellationToken)));
    }

    /// <summary>Tests the stored Creatio connection now.</summary>
    /// <remarks>Signs in with the stored settings, reads one row, and records the outcome for /api/status.</remarks>
    internal static async Task<Results<Ok<ConnectionTestResult>, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>, JsonHttpResult<Microsoft.AspNetCore.Mvc.ProblemDetails>>> TestCreatio(
        ConnectionSettingsStore connections, CreatioConnectionFactory creatio, CancellationToken cancellationToken)
    {
        var connection = await creatio.CreateFromStoreAsync(cancellationToken);
        if (connection is null) return NotConfigured("Creatio");
        try
        {
            await connection.TestAsync(cancellationToken);
            await connections.RecordOutcomeAsync(CreatioConnectionSettings.System, null, cancellationToken);
            return TypedResults.Ok(new ConnectionTestResult(true, connection.Settings.BaseUrl, connection.Settings.UserName ?? connection.Settings.ClientId ?? "", null,
                "Creatio accepted the sign-in and answered an OData read."));
        }
        catch (CreatioException ex)
        {
            await connections.RecordOutcomeAsync(CreatioConnectionSettings.System, ex.Message, cancellationToken);
            return RemoteProblems.From(ex, "The Creatio connection test failed.");
        }
    }

    /// <summary>
    /// The secret to use: the one presented, or (when the request leaves it out or sends the mask) the stored one, but
    /// only while the connection still points at the host it was entered for.
    /// </summary>
    private static string? Secret(RequestValidation validation, string field, string? presented, string? stored, bool sameHost)
    {
        if (!string.IsNullOrEmpty(presented) && presented != SecretMask) return presented.Trim();
        if (stored is not null && !sameHost)
        {
            validation.Add(field, $"Enter {field} again: the connection now points at another host, and a stored secret is only sent to the host it was entered for.");
            return null;
        }

        return validation.Required(field, stored);
    }

    /// <summary>Same scheme, host and port; no stored URL means nothing is kept anyway.</summary>
    private static bool SameDestination(string? url, string? storedUrl) =>
        storedUrl is null || url is null
        || (Uri.TryCreate(url, UriKind.Absolute, out var a) && Uri.TryCreate(storedUrl, UriKind.Absolute, out var b)
            && Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0);

    private static string? Mask(string? secret) => string.IsNullOrEmpty(secret) ? null : SecretMask;

    private static IntacctConnectionView View(IntacctConnectionSettings s, ConnectionState state) =>
        new(s.CompanyId, s.SenderId, SecretMask, s.UserId, SecretMask, s.EntityId, s.EndpointUrl, state);

    private static CreatioConnectionView View(CreatioConnectionSettings s, ConnectionState state) =>
        new(s.BaseUrl, s.AuthMode, s.UserName, Mask(s.Password), s.ClientId, Mask(s.ClientSecret), s.IdentityUrl, state);

    private static NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails> NotConfigured(string system) =>
        TypedResults.NotFound(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status404NotFound,
            Title = $"{system} is not configured",
            Detail = $"PUT /api/connections/{system.ToLowerInvariant()} to configure it.",
        });
}
