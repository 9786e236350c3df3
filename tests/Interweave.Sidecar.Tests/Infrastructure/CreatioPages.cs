using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Interweave.Sidecar.Tests.Infrastructure;

/// <summary>Reads the parts of a Freedom UI page schema: Creatio's designer writes each between /**SCHEMA_X*/ markers as a JSON literal.</summary>
internal static class CreatioPages
{
    public static JsonNode Part(string schemaFolder, string part)
    {
        var js = File.ReadAllText(Path.Combine(schemaFolder, Path.GetFileName(schemaFolder) + ".js"));
        var match = Regex.Match(js, $@"/\*\*SCHEMA_{part}\*/(.*?)/\*\*SCHEMA_{part}\*/", RegexOptions.Singleline);
        Assert.True(match.Success, $"{schemaFolder}: no SCHEMA_{part} block");
        return JsonNode.Parse(match.Groups[1].Value)!;
    }
}
