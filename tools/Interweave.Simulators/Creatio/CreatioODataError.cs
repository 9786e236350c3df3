using System.Text.Json.Nodes;

namespace Interweave.Simulators.Creatio;

/// <summary>An OData failure with Creatio's status and body.</summary>
internal sealed class CreatioODataException(int status, JsonObject body) : Exception((string?)body["error"]?["message"] ?? (string?)body["Message"])
{
    public int Status { get; } = status;

    public JsonObject Body { get; } = body;

    /// <summary>{"error":{"code":"","message":…,"innererror":{message,type,stacktrace}}}: the envelope Creatio's OData answers with.</summary>
    public static CreatioODataException Error(int status, string message, string? inner = null, string type = "") => new(status, new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["code"] = "",
            ["message"] = message,
            ["innererror"] = new JsonObject { ["message"] = inner ?? message, ["type"] = type, ["stacktrace"] = "" },
        },
    });

    public static CreatioODataException BadQuery(string problem) =>
        Error(400, $"The query specified in the URI is not valid. {problem}", problem, "Microsoft.OData.ODataException");

    public static CreatioODataException UnknownProperty(string property, string entity) =>
        BadQuery($"Could not find a property named '{property}' on type 'Terrasoft.Configuration.OData.{entity}'.");

    /// <summary>Server-side failures (database errors) hide behind a generic message, as Creatio's do.</summary>
    public static CreatioODataException Generic(string inner, string type = "Npgsql.PostgresException") => Error(500, "An error has occurred.", inner, type);

    public static CreatioODataException NoEntitySet(string url, string name) => new(404, new JsonObject
    {
        ["Message"] = $"No HTTP resource was found that matches the request URI '{url}'.",
        ["MessageDetail"] = $"No type was found that matches the controller named '{name}'.",
    });
}
