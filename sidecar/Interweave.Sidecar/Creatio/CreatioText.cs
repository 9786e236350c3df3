namespace Interweave.Sidecar.Creatio;

internal static class CreatioText
{
    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
