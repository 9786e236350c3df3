using System.Text.Json.Nodes;
using System.Xml;
using Interweave.Sidecar.Creatio;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Intacct;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// The rules that decide what is written where, tested where they live, one row a case: what an update writes (system of
/// record, echoes, first pairings), when two values are the same, how values are converted, how a newer template's settings
/// keep an admin's choices, and what the Intacct and OData request builders write.
/// </summary>
public sealed class FlowRuleTests
{
    private static FlowDefinition Flow(string? systemOfRecord) => new()
    {
        Id = "test",
        Version = 1,
        Name = "test",
        Kind = FlowKind.Pull,
        Source = new FlowEndpoint { System = "intacct", Object = "CUSTOMER" },
        Target = new FlowEndpoint { System = "creatio", Object = "Account" },
        Mapping = [new FieldMap { Target = "Phone", Source = "DISPLAYCONTACT/PHONE1", SystemOfRecord = systemOfRecord }],
    };

    public static TheoryData<string, string?, string?, string?, string?, bool, bool> WriteCases() => new()
    {
        // case, system of record, new source value, value this flow wrote last time (null: never paired), target's value, just created, written?
        { "an unowned field that changed at the source is written", null, "555-2", "555-1", "555-1", false, true },
        { "an unowned field unchanged since the last write is left alone, even if the target differs", null, "555-1", "555-1", "999", false, false },
        { "a field the source owns is made to match whatever was last written", "intacct", "555-1", "555-1", "999", false, true },
        { "a field the target owns is never written to an existing record", "creatio", "555-2", "555-1", "555-1", false, false },
        { "a field the target owns is written when the flow just made the record", "creatio", "555-2", null, "", true, true },
        { "on a first pairing a blank never overwrites a value", null, "", null, "555-1", false, false },
        { "on a first pairing a value fills a blank", null, "555-1", null, "", false, true },
        { "what the target already holds is never written again (an echo)", null, "555-2", "555-1", "555-2", false, false },
    };

    [Theory]
    [MemberData(nameof(WriteCases))]
    public void An_update_writes_only_the_fields_the_rules_allow(string name, string? systemOfRecord, string? value, string? lastWritten, string? target, bool justCreated, bool written)
    {
        var flow = Flow(systemOfRecord);
        var values = new JsonObject { ["Phone"] = value };
        var previous = lastWritten is null ? null : new JsonObject { ["Phone"] = lastWritten };

        var fields = FieldMapper.FieldsToWrite(flow, values, previous, justCreated, _ => JsonValue.Create(target));

        Assert.True(written == (fields.Count == 1), name);
    }

    public static TheoryData<string?, string?, bool> SameValueCases() => new()
    {
        { "", null, true }, // blank and missing are the same
        { "1.50", "1.5", true },
        { "945", "945.00", true },
        { "A0000000-0000-4000-8000-000000000001", "a0000000-0000-4000-8000-000000000001", true },
        { "2026-11-02T00:00:00Z", "2026-11-02T00:00:00.0000000+00:00", true },
        { "2026-11-02T00:00:00Z", "2026-11-03T00:00:00Z", false },
        { "O'Brien", "O'brien", false }, // text keeps its case
        { "1.5", "1.51", false },
        { "0001-01-01T00:00:00Z", null, true }, // Creatio's unset date is a blank, not a date of year 1
        { "0001-01-01T00:00:00.0000000Z", "", true },
        { "0001-01-01T00:00:00Z", "2026-11-02T00:00:00Z", false },
    };

    [Theory]
    [MemberData(nameof(SameValueCases))]
    public void Values_are_the_same_by_meaning_not_by_spelling(string? a, string? b, bool same)
    {
        Assert.Equal(same, SameValue.Equal(a is null ? null : JsonValue.Create(a), b is null ? null : JsonValue.Create(b)));
        Assert.Equal(same, SameValue.Equal(b is null ? null : JsonValue.Create(b), a is null ? null : JsonValue.Create(a)));
    }

    public static TheoryData<string, string?, string?> ToCreatioCases() => new()
    {
        { "decimal", "1,234.50", "1234.50" },
        { "decimal", "", "0" },
        { "date", "11/02/2026", "\"2026-11-02T00:00:00Z\"" },
        { "date", "", null },
        { "guid", "not a guid", "\"00000000-0000-0000-0000-000000000000\"" },
        { "guid", "", "\"00000000-0000-0000-0000-000000000000\"" },
        { "bool", "true", "true" },
        { "text", "", "\"\"" },
    };

    [Theory]
    [MemberData(nameof(ToCreatioCases))]
    public void Intacct_text_becomes_the_value_Creatio_stores(string type, string? text, string? json)
    {
        Assert.Equal(json, FieldMapper.Convert(new FieldMap { Target = "X", Type = TypeNamed(type) }, text)?.ToJsonString());
    }

    public static TheoryData<string, string?, string> ToIntacctCases() => new()
    {
        { "decimal", "49.50", "49.5" },
        { "decimal", "1200.000", "1200" },
        { "date", "2026-11-02T00:00:00Z", "11/02/2026" },
        { "bool", "True", "true" },
        { "guid", "A0000000-0000-4000-8000-000000000001", "a0000000-0000-4000-8000-000000000001" },
        { "text", "", "" },
    };

    [Theory]
    [MemberData(nameof(ToIntacctCases))]
    public void Creatio_values_become_the_text_Intacct_takes(string type, string? text, string expected)
    {
        Assert.Equal(expected, FieldMapper.ToIntacctText(new FieldMap { Target = "X", Type = TypeNamed(type) }, text));
    }

    [Fact]
    public void A_date_Creatio_shows_as_unset_maps_to_a_blank_for_Intacct_not_to_the_first_of_January_of_year_1()
    {
        var row = new JsonObject { ["UsrDueDate"] = "0001-01-01T00:00:00Z", ["UsrDate"] = "2026-11-02T00:00:00Z" };
        var date = new FieldMap { Target = "X", Type = FieldType.Date };

        Assert.Equal("", FieldMapper.ToIntacctText(date, FieldMapper.CreatioText(row, "UsrDueDate"))); // it was "01/01/0001"
        Assert.Equal("11/02/2026", FieldMapper.ToIntacctText(date, FieldMapper.CreatioText(row, "UsrDate")));
        Assert.Null(FieldMapper.Convert(date, null)); // and a blank Intacct date goes to Creatio as null, never as a date
    }

    private static FieldType TypeNamed(string wireName) =>
        WireNames.TryParse<FieldType>(wireName, out var type) ? type : throw new ArgumentException($"No field type is called {wireName}.", nameof(wireName));

    [Fact]
    public void A_newer_template_keeps_the_admins_values_adds_its_new_settings_and_drops_the_retired_ones()
    {
        var merged = FlowStore.MergeSettings(
            new Dictionary<string, string> { ["documentType"] = "Sales Order", ["paymentTerm"] = "" },
            new Dictionary<string, string> { ["documentType"] = "Sales Invoice", ["retired"] = "x" });

        Assert.Equal(new Dictionary<string, string> { ["documentType"] = "Sales Invoice", ["paymentTerm"] = "" }, merged);
    }

    private static string Xml(IntacctFunction function)
    {
        var text = new System.Text.StringBuilder();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true, ConformanceLevel = ConformanceLevel.Fragment }))
            typeof(IntacctFunction).GetMethod("Write", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.Invoke(function, [xml]);
        return text.ToString();
    }

    [Fact]
    public void The_request_builder_writes_legacy_functions_as_the_official_SDKs_do()
    {
        var function = new LegacyFunction(new IntacctRecord("create_sotransaction")
            .Set("transactiontype", "Sales Order").Group("datecreated", LegacyFunction.Date(new DateOnly(2026, 1, 5))).Set("customerid", "O'Brien <UK> & Co")
            .Lines("sotransitems", "sotransitem", [new IntacctRecord("sotransitem").Set("itemid", "W1").Set("quantity", 2.5m)]))
        { ControlId = "c1" };

        Assert.Equal(
            "<function controlid=\"c1\"><create_sotransaction><transactiontype>Sales Order</transactiontype><datecreated><year>2026</year><month>01</month><day>05</day></datecreated>" +
            "<customerid>O'Brien &lt;UK&gt; &amp; Co</customerid><sotransitems><sotransitem><itemid>W1</itemid><quantity>2.5</quantity></sotransitem></sotransitems>" +
            "</create_sotransaction></function>",
            Xml(function));
        Assert.Equal("<function controlid=\"k\"><update_sotransaction key=\"Sales Order-SO0001\"><message>m</message></update_sotransaction></function>",
            Xml(new LegacyFunction(new IntacctRecord("update_sotransaction").Set("message", "m"), [("key", "Sales Order-SO0001")]) { ControlId = "k" }));
    }

    [Fact]
    public void Query_conditions_and_filters_are_written_as_the_SDKs_write_them()
    {
        // readByQuery: \' for a quote, NOT for not-equal, groups in parentheses (intacct-sdk-js Functions/Common/Query).
        Assert.Equal(@"(NAME = 'O\'Brien \\ Sons') AND (NOT STATUS = 'inactive')",
            ReadByQueryCondition.Equal("NAME", @"O'Brien \ Sons").And(ReadByQueryCondition.NotEqual("STATUS", "inactive")).ToString());
        Assert.Equal("WHENMODIFIED >= '11/02/2026 09:05:00'", ReadByQueryCondition.ModifiedSince(new DateTimeOffset(2026, 11, 2, 9, 5, 0, TimeSpan.Zero)).ToString());
        Assert.Throws<ArgumentException>(() => ReadByQueryCondition.Equal("NAME = 'x' OR 1", "y"));

        var query = Xml(new QueryRecords("CUSTOMER", ["CUSTOMERID"], QueryFilter.And(QueryFilter.GreaterThanOrEqualTo("WHENMODIFIED", "11/02/2026"), QueryFilter.LessThanOrEqualTo("CREDITLIMIT", "5"))) { ControlId = "q" });
        Assert.Contains("<and><greaterthanorequalto><field>WHENMODIFIED</field><value>11/02/2026</value></greaterthanorequalto><lessthanorequalto><field>CREDITLIMIT</field><value>5</value></lessthanorequalto></and>", query);
    }

    [Fact]
    public void OData_filters_quote_text_and_leave_ids_and_dates_bare()
    {
        Assert.Equal("Name eq 'O''Brien'", CreatioFilter.Equal("Name", "O'Brien").ToString());
        Assert.Equal("Account/Id eq a0000000-0000-4000-8000-000000000001", CreatioFilter.Lookup("Account", Guid.Parse("a0000000-0000-4000-8000-000000000001")).ToString());
        Assert.Equal("ModifiedOn ge 2026-11-02T09:05:00.0000000Z", CreatioFilter.ModifiedSince(new DateTimeOffset(2026, 11, 2, 9, 5, 0, TimeSpan.Zero)).ToString());
        Assert.Equal("(Name eq 'a') and (contains(Code,'b'))", CreatioFilter.Equal("Name", "a").And(CreatioFilter.Contains("Code", "b")).ToString());
    }
}
