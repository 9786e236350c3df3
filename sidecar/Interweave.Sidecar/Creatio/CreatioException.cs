namespace Interweave.Sidecar.Creatio;

/// <summary>A classified Creatio failure; its message and detail are bounded (<see cref="RemoteText"/>) however long Creatio's text was.</summary>
public sealed class CreatioException(RemoteFailure failure, string message, int? statusCode = null, string? detail = null, Exception? inner = null)
    : Exception(RemoteText.Bound(message), inner)
{
    public RemoteFailure Failure { get; } = failure;

    public int? StatusCode { get; } = statusCode;

    /// <summary>Creatio's inner error text (database or OData parser message), when it gave one.</summary>
    public string? Detail { get; } = RemoteText.Bound(detail);

    /// <summary>A plain-language next step for the common cases, or null.</summary>
    public string? Hint { get; init; }
}
