namespace Interweave.Simulators.Intacct;

internal enum FieldKind
{
    Text,
    Integer,
    Decimal,
    Date,
    DateTime,
    Boolean,
    Enum,
    Group,
    Lines,
}

/// <summary>One field of an Intacct object as the generic (3.0) API exposes it.</summary>
internal sealed record FieldDef(string Name, FieldKind Kind, bool ReadOnly = false, bool Required = false, int MaxLength = 0)
{
    public IReadOnlyList<string> EnumValues { get; init; } = [];

    /// <summary>Children of a group, or the fields of one line.</summary>
    public IReadOnlyList<FieldDef> Children { get; init; } = [];

    /// <summary>For lines: the element each line is wrapped in (e.g. sotransitem).</summary>
    public string LineElement { get; init; } = "";

    public bool IsCustom { get; init; }
}

/// <summary>An object: its name, the field that identifies it to people, its fields.</summary>
internal sealed record ObjectDef(string Name, string IdField, IReadOnlyList<FieldDef> Fields, string DisplayName)
{
    public FieldDef? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);

    /// <summary>Objects whose id the server assigns (documents) rather than the caller.</summary>
    public bool IdAssignedByServer { get; init; }
}

internal static class IntacctSchema
{
    private static FieldDef Text(string name, bool required = false, int max = 0) => new(name, FieldKind.Text, Required: required, MaxLength: max);

    private static FieldDef Ro(string name, FieldKind kind) => new(name, kind, ReadOnly: true);

    private static FieldDef Status => new("STATUS", FieldKind.Enum) { EnumValues = ["active", "inactive"] };

    private static readonly FieldDef MailAddress = new("MAILADDRESS", FieldKind.Group)
    {
        Children = [Text("ADDRESS1"), Text("ADDRESS2"), Text("CITY"), Text("STATE"), Text("ZIP"), Text("COUNTRY"), Text("COUNTRYCODE")],
    };

    private static readonly FieldDef DisplayContact = new("DISPLAYCONTACT", FieldKind.Group)
    {
        Children =
        [
            Text("CONTACTNAME"), Text("PRINTAS"), Text("COMPANYNAME"), Text("TAXABLE"), Text("TAXGROUP"), Text("PREFIX"),
            Text("FIRSTNAME"), Text("LASTNAME"), Text("INITIAL"), Text("PHONE1"), Text("PHONE2"), Text("CELLPHONE"),
            Text("PAGER"), Text("FAX"), Text("EMAIL1"), Text("EMAIL2"), Text("URL1"), Text("URL2"), MailAddress,
        ],
    };

    private static IEnumerable<FieldDef> PartyFields(string idField) =>
    [
        Ro("RECORDNO", FieldKind.Integer), Text(idField, max: 20), Text("NAME", required: true, max: 100), DisplayContact, Status,
        new("ONETIME", FieldKind.Boolean), new("HIDEDISPLAYCONTACT", FieldKind.Boolean), Text("TERMNAME"), Text("CURRENCY"),
        new("CREDITLIMIT", FieldKind.Decimal), Text("COMMENTS"), Text("PARENTID"), Text("TAXID"), new("ONHOLD", FieldKind.Boolean),
        Text("GLGROUP"), Text("MEGAENTITYID"), Ro("TOTALDUE", FieldKind.Decimal), Ro("WHENCREATED", FieldKind.DateTime),
        Ro("WHENMODIFIED", FieldKind.DateTime),
        // Platform custom field the integration adds: the Creatio Account Id.
        new("ACCOUNTID", FieldKind.Text, MaxLength: 80) { IsCustom = true },
    ];

    public static readonly ObjectDef Customer = new("CUSTOMER", "CUSTOMERID", [.. PartyFields("CUSTOMERID"), Text("CUSTTYPE"), Text("CUSTREPID"), Text("TERRITORYID")], "Customer");

    public static readonly ObjectDef Vendor = new("VENDOR", "VENDORID", [.. PartyFields("VENDORID"), Text("VENDTYPE")], "Vendor");

    public static readonly ObjectDef Item = new("ITEM", "ITEMID",
    [
        Ro("RECORDNO", FieldKind.Integer), Text("ITEMID", required: true, max: 30), Text("NAME", required: true, max: 100), Status,
        new("ITEMTYPE", FieldKind.Enum) { EnumValues = ["Inventory", "Non-Inventory", "Non-Inventory (Purchase only)", "Non-Inventory (Sales only)", "Kit", "Stockable Kit"] },
        Text("EXTENDED_DESCRIPTION"), Text("PRODUCTLINEID"), new("BASEPRICE", FieldKind.Decimal), new("STANDARD_COST", FieldKind.Decimal),
        Text("UOMGRP"), Text("GLGROUP"), Ro("WHENCREATED", FieldKind.DateTime), Ro("WHENMODIFIED", FieldKind.DateTime),
        new("PRODUCTID", FieldKind.Text, MaxLength: 80) { IsCustom = true },
    ], "Item");

    public static readonly ObjectDef Contact = new("CONTACT", "CONTACTNAME",
    [
        Ro("RECORDNO", FieldKind.Integer), Text("CONTACTNAME", required: true, max: 200), Text("PRINTAS", required: true), Text("COMPANYNAME"),
        Text("PREFIX"), Text("FIRSTNAME"), Text("LASTNAME"), Text("PHONE1"), Text("CELLPHONE"), Text("EMAIL1"), Text("EMAIL2"), MailAddress, Status,
        Ro("WHENCREATED", FieldKind.DateTime), Ro("WHENMODIFIED", FieldKind.DateTime),
    ], "Contact");

    private static readonly FieldDef SalesLines = new("SOTRANSITEMS", FieldKind.Lines)
    {
        LineElement = "sotransitem",
        Children =
        [
            Text("ITEMID", required: true), new("QUANTITY", FieldKind.Decimal, Required: true), Text("UNIT"), new("PRICE", FieldKind.Decimal),
            new("DISCOUNTPERCENT", FieldKind.Decimal), Text("MEMO"), Text("LOCATIONID"), Text("DEPARTMENTID"), Ro("TOTAL", FieldKind.Decimal),
        ],
    };

    public static readonly ObjectDef SoDocument = new("SODOCUMENT", "DOCID",
    [
        Ro("RECORDNO", FieldKind.Integer), Ro("DOCID", FieldKind.Text), Ro("DOCNO", FieldKind.Text),
        new("TRANSACTIONTYPE", FieldKind.Enum, Required: true) { EnumValues = ["Sales Quote", "Sales Order", "Sales Invoice"] },
        new("WHENCREATED", FieldKind.Date, Required: true), new("WHENDUE", FieldKind.Date), Text("CUSTOMERID", required: true),
        Text("PONUMBER", max: 80), Text("CURRENCY"), Text("BASECURR"), Text("MESSAGE"), Text("TERMNAME"),
        new("STATE", FieldKind.Enum) { EnumValues = ["Draft", "Pending", "Closed", "Converted", "Partially Converted"] },
        Ro("TOTAL", FieldKind.Decimal), Ro("WHENMODIFIED", FieldKind.DateTime), SalesLines,
    ], "Sales transaction")
    {
        IdAssignedByServer = true,
    };

    private static FieldDef AmountLines(string name) => new(name, FieldKind.Lines)
    {
        LineElement = "lineitem",
        Children = [Text("ACCOUNTNO"), Text("GLACCOUNTNO"), new("AMOUNT", FieldKind.Decimal, Required: true), Text("ITEMID"), Text("MEMO"), Text("LOCATIONID"), Text("DEPARTMENTID")],
    };

    public static readonly ObjectDef ArInvoice = new("ARINVOICE", "RECORDID",
    [
        Ro("RECORDNO", FieldKind.Integer), Text("RECORDID", max: 45), Text("CUSTOMERID", required: true), new("WHENCREATED", FieldKind.Date, Required: true),
        new("WHENDUE", FieldKind.Date), Ro("WHENPAID", FieldKind.Date), Text("TERMNAME"), Text("DOCNUMBER", max: 45), Text("DESCRIPTION"), Text("CURRENCY"), Text("BASECURR"),
        Ro("STATE", FieldKind.Text), Ro("TOTALENTERED", FieldKind.Decimal), Ro("TOTALDUE", FieldKind.Decimal), Ro("TOTALPAID", FieldKind.Decimal),
        Ro("WHENMODIFIED", FieldKind.DateTime), AmountLines("ARINVOICEITEMS"),
    ], "AR invoice")
    {
        IdAssignedByServer = true,
    };

    public static readonly ObjectDef ArPayment = new("ARPYMT", "RECORDNO",
    [
        Ro("RECORDNO", FieldKind.Integer), Text("CUSTOMERID", required: true),
        new("PAYMENTMETHOD", FieldKind.Enum, Required: true) { EnumValues = ["Printed Check", "Cash", "EFT", "Credit Card", "Online", "Record transfer"] },
        new("RECEIPTDATE", FieldKind.Date, Required: true), new("PAYMENTDATE", FieldKind.Date), Text("FINANCIALENTITY"), Text("DOCNUMBER"), Text("DESCRIPTION"),
        Text("CURRENCY"), Ro("STATE", FieldKind.Text), Ro("TOTALENTERED", FieldKind.Decimal), Ro("TOTALPAID", FieldKind.Decimal), Ro("WHENMODIFIED", FieldKind.DateTime),
        new("ARPYMTDETAILS", FieldKind.Lines)
        {
            LineElement = "arpymtdetail",
            Children = [new("RECORDKEY", FieldKind.Integer, Required: true), new("TRX_PAYMENTAMOUNT", FieldKind.Decimal, Required: true)],
        },
    ], "AR payment")
    {
        IdAssignedByServer = true,
    };

    public static readonly ObjectDef ArAdjustment = new("ARADJUSTMENT", "RECORDNO",
    [
        Ro("RECORDNO", FieldKind.Integer), Text("RECORDID"), Text("CUSTOMERID", required: true), new("WHENCREATED", FieldKind.Date, Required: true),
        Text("ADJUSTMENTNO"), Text("DESCRIPTION"), Text("CURRENCY"), Ro("STATE", FieldKind.Text), Ro("TOTALENTERED", FieldKind.Decimal),
        Ro("WHENMODIFIED", FieldKind.DateTime), AmountLines("ARADJUSTMENTITEMS"),
    ], "AR adjustment")
    {
        IdAssignedByServer = true,
    };

    public static readonly IReadOnlyDictionary<string, ObjectDef> Objects =
        new[] { Customer, Vendor, Item, Contact, SoDocument, ArInvoice, ArPayment, ArAdjustment }.ToDictionary(o => o.Name, StringComparer.OrdinalIgnoreCase);
}
