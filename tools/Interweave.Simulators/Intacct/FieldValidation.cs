using System.Globalization;
using System.Xml.Linq;

namespace Interweave.Simulators.Intacct;

/// <summary>Checks an incoming generic record against the object's fields and returns it in canonical form.</summary>
internal static class FieldValidation
{
    public static XElement Normalize(ObjectDef definition, XElement input, bool isCreate, string could)
    {
        var record = new XElement(definition.Name);
        foreach (var element in input.Elements())
            record.Add(NormalizeField(definition.Fields, element, definition.Name, could));

        if (isCreate)
        {
            foreach (var field in definition.Fields.Where(f => f.Required && !f.ReadOnly))
                if (record.Element(field.Name) is not { } value || (!value.HasElements && value.Value.Length == 0))
                    throw IntacctFunctionException.Business("Required field missing", $"Required field {field.Name} is missing.", $"Provide a value for {field.Name}.", could);
        }

        return record;
    }

    /// <summary>A value checked against its field's type (used by the legacy functions for what they map to read fields).</summary>
    public static string Value(FieldDef field, string value, string path, string could)
    {
        value = value.Trim();
        if (value.Length > 0 && !IsValid(field, value, out var problem))
            throw IntacctFunctionException.Business("Invalid value", $"{path}: '{value}' {problem}", $"Correct the value of {field.Name}.", could);
        return field.Kind == FieldKind.Decimal && value.Length > 0 && IntacctValues.TryParseDecimal(value, out var d) ? IntacctValues.FormatDecimal(d) : value;
    }

    private static XElement NormalizeField(IReadOnlyList<FieldDef> fields, XElement element, string path, string could)
    {
        var name = element.Name.LocalName;
        var field = fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw IntacctFunctionException.Business("Invalid field", $"{path}: unknown field {name}.", $"Remove {name}, or use a field lookup lists for the object.", could);
        var fullPath = $"{path}.{field.Name}";
        if (field.ReadOnly)
            throw IntacctFunctionException.Business("Read-only field", $"{fullPath} is set by Intacct.", $"Do not send {field.Name}.", could);
        if (field.Kind == FieldKind.Group)
            return new XElement(field.Name, element.Elements().Select(child => NormalizeField(field.Children, child, fullPath, could)));
        return new XElement(field.Name, Value(field, element.Value, fullPath, could));
    }

    private static bool IsValid(FieldDef field, string value, out string problem)
    {
        problem = "";
        switch (field.Kind)
        {
            case FieldKind.Text when field.MaxLength > 0 && value.Length > field.MaxLength:
                problem = $"is longer than {field.MaxLength} characters.";
                return false;
            case FieldKind.Integer when !long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _):
                problem = "is not a whole number.";
                return false;
            case FieldKind.Decimal when !IntacctValues.TryParseDecimal(value, out _):
                problem = "is not a number.";
                return false;
            case FieldKind.Date when !DateTime.TryParseExact(value, IntacctValues.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _):
                problem = "is not a date in MM/DD/YYYY form.";
                return false;
            case FieldKind.Boolean when value is not ("true" or "false"):
                problem = "must be true or false.";
                return false;
            case FieldKind.Enum when !field.EnumValues.Contains(value):
                problem = $"is not one of: {string.Join(", ", field.EnumValues)}.";
                return false;
            default:
                return true;
        }
    }
}
