namespace Interweave.Sidecar.Api.Contracts;

/// <summary>The fields a flow's mapping can use, as each system describes them now.</summary>
/// <param name="Source">The source object's fields: Intacct's from lookup, Creatio's columns from $metadata.</param>
/// <param name="Target">The target object's fields, the same way.</param>
public sealed record FlowFields(IReadOnlyList<FieldOption> Source, IReadOnlyList<FieldOption> Target);

/// <summary>One field of an object.</summary>
/// <param name="Name">As a mapping names it (an Intacct group's field as GROUP/FIELD, a Creatio lookup as its Id column).</param>
/// <param name="Type">The system's own type name (Intacct: TEXT, DECIMAL, DATE...; Creatio: String, Guid, Decimal...).</param>
/// <param name="Custom">A custom field (Intacct); Creatio's $metadata does not tell, so false there.</param>
/// <param name="ReadOnly">Set by the system itself (Intacct); a mapping can read it but not write it.</param>
public sealed record FieldOption(string Name, string Type, bool Custom, bool ReadOnly);

/// <summary>The values a flow setting may take, as the systems say now.</summary>
/// <param name="Setting">The setting, e.g. documentType.</param>
/// <param name="Choices">Its values, e.g. the Intacct company's Order Entry transaction definitions and "AR Invoice".</param>
public sealed record FlowSettingChoices(string Setting, IReadOnlyList<string> Choices);
