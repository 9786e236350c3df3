namespace Interweave.Sidecar.Creatio;

public sealed class CreatioException(RemoteFailure failure, string message, int? statusCode = null, string? detail = null, Exception? inner = null)
    : Exception(message, inner)
{
    public RemoteFailure Failure { get; } = failure;

    public int? StatusCode { get; } = statusCode;

    /// <summary>Creatio's inner error text (database or OData parser message), when it gave one.</summary>
    public string? Detail { get; } = detail;

    /// <summary>A plain-language next step for the common cases, or null.</summary>
    public string? Hint { get; init; }
}
