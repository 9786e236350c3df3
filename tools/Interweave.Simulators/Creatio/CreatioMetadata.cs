using System.Xml.Linq;

namespace Interweave.Simulators.Creatio;

/// <summary>
/// GET /0/odata/$metadata: the model as an OData 4 CSDL document. Creatio Academy's OData 4 reference documents that
/// $metadata returns CSDL XML with entity types named Terrasoft.Configuration.OData.&lt;Entity&gt;
/// (academy.creatio.com/docs/8.x/dev/development-on-creatio-platform/integrations-and-api/data-services/odata/references/odata-odata-4,
/// "Request structure"); the element layout is the OASIS CSDL 4.0 one
/// (Edmx, DataServices, Schema, EntityType with Key, Property and NavigationProperty, EntityContainer with EntitySet).
/// No captured Creatio document was at hand: the container's name, the facets left out (MaxLength, Precision) and
/// the order of elements are ours (tools/README.md, Known differences).
/// </summary>
internal static class CreatioMetadata
{
    private const string Namespace = "Terrasoft.Configuration.OData";
    private static readonly XNamespace Edmx = "http://docs.oasis-open.org/odata/ns/edmx";
    private static readonly XNamespace Edm = "http://docs.oasis-open.org/odata/ns/edm";

    public static string Csdl(CreatioModel model)
    {
        var types = model.Entities.Values.OrderBy(e => e.Name, StringComparer.Ordinal).Select(entity => new XElement(Edm + "EntityType",
            new XAttribute("Name", entity.Name),
            new XElement(Edm + "Key", new XElement(Edm + "PropertyRef", new XAttribute("Name", "Id"))),
            entity.Columns.Select(c => new XElement(Edm + "Property", new XAttribute("Name", c.Property), new XAttribute("Type", EdmType(c.Kind)),
                c.Property == "Id" ? new XAttribute("Nullable", "false") : null)),
            entity.Columns.Where(c => c.Kind == ColumnKind.Lookup && c.Target is not null).Select(c => new XElement(Edm + "NavigationProperty",
                new XAttribute("Name", c.Name), new XAttribute("Type", $"{Namespace}.{c.Target}"),
                new XElement(Edm + "ReferentialConstraint", new XAttribute("Property", c.Property), new XAttribute("ReferencedProperty", "Id"))))));
        var container = new XElement(Edm + "EntityContainer", new XAttribute("Name", "Default"),
            model.Entities.Values.OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => new XElement(Edm + "EntitySet",
                new XAttribute("Name", e.Name), new XAttribute("EntityType", $"{Namespace}.{e.Name}"))));
        var document = new XDocument(new XDeclaration("1.0", "utf-8", null),
            new XElement(Edmx + "Edmx", new XAttribute("Version", "4.0"), new XAttribute(XNamespace.Xmlns + "edmx", Edmx),
                new XElement(Edmx + "DataServices",
                    new XElement(Edm + "Schema", new XAttribute("Namespace", Namespace), types, container))));
        return document.Declaration + document.ToString(SaveOptions.DisableFormatting);
    }

    private static string EdmType(ColumnKind kind) => kind switch
    {
        ColumnKind.Guid or ColumnKind.Lookup => "Edm.Guid",
        ColumnKind.Integer => "Edm.Int32",
        ColumnKind.Decimal => "Edm.Decimal",
        ColumnKind.Boolean => "Edm.Boolean",
        ColumnKind.DateTime or ColumnKind.Date => "Edm.DateTimeOffset",
        _ => "Edm.String",
    };
}
