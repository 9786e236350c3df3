namespace Interweave.Sidecar.Flows;

/// <summary>Why a flow cannot go ahead: shown to the user as it is, with nothing written anywhere.</summary>
public sealed class FlowRefusedException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;
}
