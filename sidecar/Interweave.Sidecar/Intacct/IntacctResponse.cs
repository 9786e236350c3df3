using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Interweave.Sidecar.Intacct;

/// <summary>One function's answer.</summary>
public sealed record IntacctResult(
    string Status,
    string Function,
    string ControlId,
    IReadOnlyList<XElement> Records,
    int? Count,
    int? TotalCount,
    int? NumRemaining,
    string? ResultId,
    IReadOnlyList<IntacctError> Errors,
    XElement? Data,
    string? Key = null)
{
    public bool Succeeded => Status == "success";
}

public sealed record IntacctAuthentication(string UserId, string CompanyId, string? EntityId, DateTimeOffset? SessionTimeout);

public sealed record IntacctResponse(IntacctAuthentication Authentication, IReadOnlyList<IntacctResult> Results);

/// <summary>Reads the gateway's XML into typed results; control and authentication failures become exceptions.</summary>
internal static class IntacctResponseParser
{
    public static IntacctResponse Parse(string body, string requestControlId)
    {
        XDocument document;
        try
        {
            document = RemoteAnswers.ParseXml(body);
        }
        catch (XmlException ex)
        {
            // An HTML error page from a proxy, or a truncated body: the gateway did not really answer. The gateway never
            // sends a DTD, so one is refused here too (no entity expansion, nothing fetched).
            throw new IntacctException(RemoteFailure.Transient, IntacctErrorLevel.Transport, [], requestControlId, "Intacct answered with something that is not XML, or XML with a DTD, which the gateway never sends.", ex);
        }

        var response = document.Root?.Name == "response" ? document.Root : throw new IntacctException(RemoteFailure.Transient, IntacctErrorLevel.Transport, [], requestControlId, "Intacct's answer has no <response>.");
        var control = response.Element("control");
        if (control?.Element("status")?.Value != "success")
        {
            var errors = Errors(response.Element("errormessage"));
            throw new IntacctException(ClassifyControl(errors), IntacctErrorLevel.Control, errors, requestControlId);
        }

        var operation = response.Element("operation") ?? throw new IntacctException(RemoteFailure.Transient, IntacctErrorLevel.Transport, [], requestControlId, "Intacct's answer has no <operation>.");
        var authentication = operation.Element("authentication");
        if (authentication?.Element("status")?.Value != "success")
            throw new IntacctException(RemoteFailure.Unauthorized, IntacctErrorLevel.Authentication, Errors(operation.Element("errormessage")), requestControlId);

        var timeout = DateTimeOffset.TryParse(authentication.Element("sessiontimeout")?.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : (DateTimeOffset?)null;
        var auth = new IntacctAuthentication(
            authentication.Element("userid")?.Value ?? "",
            authentication.Element("companyid")?.Value ?? "",
            NullIfEmpty(authentication.Element("locationid")?.Value),
            timeout);
        return new IntacctResponse(auth, operation.Elements("result").Select(Result).ToList());
    }

    public static IntacctException FunctionFailure(IntacctResult result)
    {
        var text = string.Join(" ", result.Errors.Select(e => $"{e.Description} {e.Description2}"));
        var failure = text.Contains("already exists", StringComparison.OrdinalIgnoreCase) ? RemoteFailure.Conflict
            : text.Contains("permission", StringComparison.OrdinalIgnoreCase) ? RemoteFailure.Unauthorized
            : RemoteFailure.Rejected;
        return new IntacctException(failure, IntacctErrorLevel.Function, result.Errors, result.ControlId);
    }

    private static IntacctResult Result(XElement result)
    {
        var data = result.Element("data");
        return new IntacctResult(
            result.Element("status")?.Value ?? "",
            result.Element("function")?.Value ?? "",
            result.Element("controlid")?.Value ?? "",
            data?.Elements().ToList() ?? [],
            Int(data?.Attribute("count")?.Value),
            Int(data?.Attribute("totalcount")?.Value),
            Int(data?.Attribute("numremaining")?.Value),
            NullIfEmpty(data?.Attribute("resultId")?.Value),
            Errors(result.Element("errormessage")),
            data,
            NullIfEmpty(result.Element("key")?.Value));
    }

    private static List<IntacctError> Errors(XElement? errorMessage) =>
        errorMessage?.Elements("error").Select(e => new IntacctError(
            e.Element("errorno")?.Value.Trim() ?? "",
            e.Element("description")?.Value.Trim() ?? "",
            e.Element("description2")?.Value.Trim() ?? "",
            e.Element("correction")?.Value.Trim() ?? "")).ToList() ?? [];

    /// <summary>GW-0010 means the gateway refused before doing anything; everything else at control level is ours to fix.</summary>
    private static RemoteFailure ClassifyControl(IReadOnlyList<IntacctError> errors) =>
        errors.Any(e => e.ErrorNo == "GW-0010") ? RemoteFailure.RateLimited
        : errors.Any(e => e.ErrorNo == "XL03000006") ? RemoteFailure.Unauthorized
        : RemoteFailure.Rejected;

    private static int? Int(string? text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
