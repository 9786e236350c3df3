using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Xml;
using System.Xml.Linq;

namespace Interweave.Simulators.Intacct;

/// <summary>The functions the gateway carries out: getAPISession, the generic writes and reads, lookup and inspect; the legacy functions go to IntacctLegacyFunctions.</summary>
public sealed partial class IntacctGateway
{
    private XElement Execute(IntacctCompany company, Session session, XElement function, string endpointUrl)
    {
        var body = function.Elements().FirstOrDefault();
        var name = body?.Name.LocalName ?? "";
        FunctionCounts.AddOrUpdate(name, 1, (_, n) => n + 1);
        // A failed function leaves nothing behind: a document whose second line is refused keeps no header, no first line.
        var ownsWork = !ReadOnlyFunctions.Contains(name) && company.BeginWork();
        try
        {
            if (body is null || function.Elements().Count() != 1)
                throw IntacctErrors.Schema("a function element holds exactly one call.");
            XElement? key = null;
            var data = name switch
            {
                "getAPISession" => GetApiSession(session, body, endpointUrl),
                "create" => Write(company, body, "create", company.Create),
                "update" => Write(company, body, "update", company.Update),
                "delete" => Delete(company, body),
                "delete_customer" => LegacyDelete(company, company.Definitions["CUSTOMER"], body.Attribute("customerid")?.Value, ref key),
                "delete_vendor" => LegacyDelete(company, company.Definitions["VENDOR"], body.Attribute("vendorid")?.Value, ref key),
                "delete_contact" => LegacyDelete(company, company.Definitions["CONTACT"], body.Attribute("contactname")?.Value, ref key),
                "delete_item" => LegacyDelete(company, company.Definitions["ITEM"], body.Attribute("itemid")?.Value, ref key),
                "read" => Read(company, body, byName: false),
                "readByName" => Read(company, body, byName: true),
                "readByQuery" => ReadByQuery(company, session, body),
                "readMore" => ReadMore(company, session, body),
                "query" => Query(company, body),
                "lookup" => Lookup(company, body),
                "inspect" => Inspect(company, body),
                _ => Legacy(company, body, ref key),
            };
            if (ownsWork) company.CommitWork();
            var result = ResultShell("success", function);
            if (key is not null) result.Add(key);
            if (data is not null) result.Add(data);
            return result;
        }
        catch (IntacctFunctionException ex)
        {
            if (ownsWork) company.RollBackWork();
            var result = ResultShell("failure", function);
            if (name == "create") result.Add(new XElement("data", new XAttribute("listtype", "objects"), new XAttribute("count", 0)));
            result.Add(new XElement("errormessage", ex.Errors.Select(e => e.ToXml())));
            return result;
        }
        catch
        {
            if (ownsWork) company.RollBackWork(); // a fault of the simulator itself still leaves the books as they were
            throw;
        }
    }

    private static readonly IReadOnlySet<string> ReadOnlyFunctions = new HashSet<string>(
        ["getAPISession", "read", "readByName", "readByQuery", "readMore", "query", "lookup", "inspect"], StringComparer.Ordinal);

    private static XElement? Legacy(IntacctCompany company, XElement body, ref XElement? key)
    {
        key = IntacctLegacyFunctions.Execute(company, body);
        return null;
    }

    private static XElement ResultShell(string status, XElement function) => new("result",
        new XElement("status", status),
        new XElement("function", function.Elements().FirstOrDefault()?.Name.LocalName ?? ""),
        new XElement("controlid", function.Attribute("controlid")?.Value ?? ""));

    private XElement GetApiSession(Session session, XElement body, string endpointUrl)
    {
        var locationId = body.Element("locationid")?.Value;
        if (string.IsNullOrEmpty(locationId)) locationId = session.LocationId;
        else if (!_companies[session.CompanyId].Entities.Contains(locationId, StringComparer.OrdinalIgnoreCase))
            throw IntacctFunctionException.Business("Invalid entity", $"Invalid entity '{locationId}'.", "Use an entity ID of this company.", "Could not create API session.");
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '.').Replace('/', '_') + "..";
        _sessions[id] = new Session(id, session.CompanyId, session.UserId, locationId) { LastUsed = _time.GetUtcNow() };
        return new XElement("data", new XElement("api",
            new XElement("sessionid", id),
            new XElement("endpoint", endpointUrl),
            new XElement("locationid", locationId ?? "")));
    }

    private static ObjectDef Definition(IntacctCompany company, string? name, bool query = false) =>
        company.Definitions.Find(name) ?? throw IntacctErrors.ObjectNotFound(name?.Trim(), query);

    /// <summary>Generic create and update: several records of several objects per call, each object as its page documents it.</summary>
    private static XElement Write(IntacctCompany company, XElement body, string function, Func<ObjectDef, XElement, XElement> write)
    {
        var written = body.Elements().Select(input =>
        {
            var definition = Definition(company, input.Name.LocalName);
            if (!definition.Allows(function))
                throw IntacctFunctionException.Business("Operation not supported",
                    $"{definition.Name} does not support the generic {function}. {LegacyHint(definition, function)}".Trim(), null, $"Could not {function} {definition.Label} record.");
            var record = write(definition, input);
            var summary = new XElement(definition.Name.ToLowerInvariant(), new XElement("RECORDNO", record.Element("RECORDNO")!.Value));
            if (definition.IdField != "RECORDNO") summary.Add(new XElement(definition.IdField, record.Element(definition.IdField)?.Value ?? ""));
            return summary;
        }).ToList();
        if (written.Count == 0) throw IntacctErrors.Schema($"{function} holds no record.");
        return new XElement("data", new XAttribute("listtype", "objects"), new XAttribute("count", written.Count), written);
    }

    private static string LegacyHint(ObjectDef definition, string function) => (definition.Name, function) switch
    {
        ("SODOCUMENT", _) => $"Use {function}_sotransaction.",
        ("ARINVOICE", "create") => "Use create_invoice.",
        ("ARINVOICE", "update") => "Use update_invoice.",
        ("ARADJUSTMENT", "create") => "Use create_aradjustment.",
        _ => "",
    };

    private static XElement? Delete(IntacctCompany company, XElement body)
    {
        var definition = Definition(company, body.Element("object")?.Value);
        var could = $"Could not delete {definition.Label} record.";
        if (!definition.Allows("delete"))
            throw IntacctFunctionException.Business("Operation not supported", $"{definition.Name} does not support the generic delete. {LegacyHint(definition, "delete")}".Trim(), null, could);
        var keys = (body.Element("keys")?.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (keys.Length == 0) throw IntacctErrors.Schema("delete needs keys.");
        var records = keys.Select(k => company.FindByRecordNo(definition, k)
            ?? throw IntacctFunctionException.Business("Record not found", $"No {definition.Label} with RECORDNO {k} exists.", "Check the key.", could)).ToList();
        foreach (var record in records) company.Delete(definition, record);
        return null;
    }

    private static XElement? LegacyDelete(IntacctCompany company, ObjectDef definition, string? id, ref XElement? key)
    {
        var record = company.FindById(definition, id ?? "")
            ?? throw IntacctFunctionException.Business("Record not found", $"No {definition.Label} with ID {id} exists.", "Check the ID.", $"Could not delete {definition.Label} record.");
        company.Delete(definition, record);
        key = new XElement("key", id);
        return null;
    }

    /// <summary>read and readByName answer with the object name in upper case (intacct-sdk-php test/Intacct/Xml/Response/ResultTest.php testReadClass).</summary>
    private static XElement Read(IntacctCompany company, XElement body, bool byName)
    {
        var definition = Definition(company, body.Element("object")?.Value);
        company.EnsureAllowed(definition, "view");
        var scope = new QueryScope(company, definition);
        var fields = Fields(scope, body.Element("fields")?.Value, problem => IntacctErrors.Schema(problem));
        var keys = (body.Element("keys")?.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (keys.Length > 100) throw IntacctErrors.Schema("read takes at most 100 keys.");
        var docParId = DocParId(company, definition, body);
        var records = (keys.Length == 0
                ? company.All(definition.Name).Take(100)
                : keys.Select(k => byName ? company.FindById(definition, k) : company.FindByRecordNo(definition, k)).Where(r => r is not null).Cast<XElement>())
            .Where(r => docParId is null || r.Element("DOCPARID")?.Value == docParId);
        var list = records.Select(r => Project(scope, r, fields, definition.Name, withLines: true)).ToList();
        return new XElement("data", new XAttribute("listtype", definition.Name), new XAttribute("count", list.Count), list);
    }

    /// <summary>
    /// lookup: the object's fields (custom fields included, groups as dotted ids), types, enum values and relationships.
    /// The element names follow Sage's lookup answers as public integrations parse them; tools/README.md lists the shape as ours.
    /// </summary>
    private static XElement Lookup(IntacctCompany company, XElement body)
    {
        var definition = Definition(company, body.Element("object")?.Value);
        var docParId = DocParId(company, definition, body);
        IEnumerable<(string Id, FieldDef Field)> Leaves(IEnumerable<FieldDef> fields, string prefix) => fields.SelectMany(f => f.Kind == FieldKind.Group
            ? Leaves(f.Children, $"{prefix}{f.Name}.")
            : [($"{prefix}{f.Name}", f)]);
        var fields = Leaves(definition.Fields.Where(f => !f.WriteOnly), "").Select(leaf => new XElement("Field",
            new XElement("ID", leaf.Id),
            new XElement("LABEL", leaf.Id),
            new XElement("DESCRIPTION", leaf.Field.Assumption ?? ""),
            new XElement("REQUIRED", leaf.Field.Required ? "true" : "false"),
            new XElement("READONLY", leaf.Field.ReadOnly ? "true" : "false"),
            new XElement("DATATYPE", leaf.Field.Kind switch
            {
                FieldKind.Integer => "INTEGER",
                FieldKind.Decimal => "DECIMAL",
                FieldKind.Date => "DATE",
                FieldKind.DateTime => "TIMESTAMP",
                FieldKind.Boolean => "BOOLEAN",
                FieldKind.Enum => "ENUM",
                _ => "TEXT",
            }),
            new XElement("ISCUSTOM", leaf.Field.IsCustom ? "true" : "false"),
            leaf.Field.EnumValues.Count > 0 ? new XElement("VALIDVALUES", leaf.Field.EnumValues.Select(v => new XElement("VALIDVALUE", v))) : null));
        var relationships = definition.Relationships.Select(r => new XElement("Relationship",
            new XElement("OBJECTPATH", r.Path), new XElement("OBJECTNAME", r.Object), new XElement("LABEL", r.Path),
            new XElement("RELATIONSHIPTYPE", "MANY2ONE"), new XElement("RELATEDBY", r.By)));
        return new XElement("data", new XAttribute("listtype", "All"), new XAttribute("count", 1),
            new XElement("Type", new XAttribute("Name", definition.Name), new XAttribute("DocumentType", docParId ?? ""),
                new XElement("Fields", fields), new XElement("Relationships", relationships)));
    }

    /// <summary>inspect: the object's field names, or every object the company has for *.</summary>
    private static XElement Inspect(IntacctCompany company, XElement body)
    {
        var name = body.Element("object")?.Value.Trim();
        if (name is null or "" or "*")
            return new XElement("data", new XAttribute("listtype", "All"), new XAttribute("count", company.Definitions.All.Count()),
                company.Definitions.All.OrderBy(d => d.Name, StringComparer.Ordinal).Select(d => new XElement("Type", new XAttribute("typename", d.Name), d.Label)));
        var definition = Definition(company, name);
        return new XElement("data", new XAttribute("listtype", "All"), new XAttribute("count", 1),
            new XElement("Type", new XAttribute("Name", definition.Name),
                new XElement("Fields", definition.Fields.Where(f => !f.WriteOnly).Select(f => new XElement("Field", f.Name)))));
    }

    /// <summary>docparid narrows an Order Entry object to one transaction definition; other objects take none.</summary>
    private static string? DocParId(IntacctCompany company, ObjectDef definition, XElement body)
    {
        var docParId = body.Element("docparid")?.Value.Trim();
        if (string.IsNullOrEmpty(docParId)) return null;
        if (!definition.TakesDocParId) throw IntacctErrors.Schema($"docparid applies to Order Entry objects, not to {definition.Name}.");
        return company.TransactionDefinition(docParId, $"Could not read {definition.Label} records.").Name;
    }
}
