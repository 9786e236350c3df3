using System.Xml.Linq;

namespace Interweave.Simulators.Intacct;

/// <summary>A small, realistic company: names with apostrophes, ampersands and accents; open and paid invoices.</summary>
internal static class IntacctDemoSeed
{
    public static void Apply(IntacctCompany company)
    {
        // The first four are already linked (ACCOUNTID) to the Creatio simulator's demo accounts, as a binding run
        // would have left them, so the sandbox can send the demo opportunities; the fifth exists only in Intacct.
        (string Id, string Name, string Email, string City, string Country, string? AccountId)[] customers =
        [
            ("C-1001", "O'Brien & Sons <UK>", "accounts@obrien.example", "Dublin", "Ireland", "a0000000-0000-4000-8000-000000000001"),
            ("C-1002", "Müller Maschinenbau GmbH", "buchhaltung@mueller.example", "Stuttgart", "Germany", "a0000000-0000-4000-8000-000000000002"),
            ("C-1003", "Société Générale d'Électricité", "compta@sge.example", "Lyon", "France", "a0000000-0000-4000-8000-000000000003"),
            ("C-1004", "Acme Widgets, Inc.", "ap@acme.example", "Portland", "United States", "a0000000-0000-4000-8000-000000000004"),
            ("C-1005", "Nørrebro Design ApS", "faktura@norrebro.example", "Copenhagen", "Denmark", null),
        ];
        foreach (var c in customers)
        {
            company.Create(IntacctSchema.Customer, new XElement("CUSTOMER",
                new XElement("CUSTOMERID", c.Id), new XElement("NAME", c.Name),
                new XElement("DISPLAYCONTACT", new XElement("PRINTAS", c.Name), new XElement("EMAIL1", c.Email),
                    new XElement("MAILADDRESS", new XElement("CITY", c.City), new XElement("COUNTRY", c.Country))),
                new XElement("CURRENCY", "USD"),
                c.AccountId is null ? null : new XElement("ACCOUNTID", c.AccountId)));
        }

        company.Create(IntacctSchema.Vendor, new XElement("VENDOR", new XElement("VENDORID", "V-2001"), new XElement("NAME", "Crédit & Supply Co.")));

        // Linked (PRODUCTID) to the Creatio simulator's demo products, except the subscription.
        (string Id, string Name, decimal Price, string? ProductId)[] items =
        [
            ("WIDGET-STD", "Standard Widget", 49.50m, "b0000000-0000-4000-8000-000000000001"),
            ("WIDGET-PRO", "Pro Widget \"XL\"", 129.00m, "b0000000-0000-4000-8000-000000000002"),
            ("SVC-INSTALL", "Installation & Setup", 450.00m, "b0000000-0000-4000-8000-000000000003"),
            ("SUB-ANNUAL", "Annual Support Subscription", 1200.00m, null),
        ];
        foreach (var i in items)
        {
            company.Create(IntacctSchema.Item, new XElement("ITEM",
                new XElement("ITEMID", i.Id), new XElement("NAME", i.Name), new XElement("ITEMTYPE", "Non-Inventory (Sales only)"),
                new XElement("BASEPRICE", i.Price.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                i.ProductId is null ? null : new XElement("PRODUCTID", i.ProductId)));
        }

        var open = company.Create(IntacctSchema.ArInvoice, Invoice("C-1001", "10/01/2026", "10/31/2026", 990m));
        var paid = company.Create(IntacctSchema.ArInvoice, Invoice("C-1004", "09/15/2026", "10/15/2026", 1200m));
        company.Create(IntacctSchema.ArInvoice, Invoice("C-1002", "11/02/2026", "12/02/2026", 2580m));
        company.Create(IntacctSchema.ArPayment, Payment("C-1004", "10/10/2026", paid.Element("RECORDNO")!.Value, 1200m));
        company.Create(IntacctSchema.ArPayment, Payment("C-1001", "10/20/2026", open.Element("RECORDNO")!.Value, 400m));
    }

    private static XElement Invoice(string customer, string date, string due, decimal amount) => new("ARINVOICE",
        new XElement("CUSTOMERID", customer), new XElement("WHENCREATED", date), new XElement("WHENDUE", due),
        new XElement("ARINVOICEITEMS", new XElement("lineitem", new XElement("ACCOUNTNO", "4000"), new XElement("AMOUNT", amount.ToString(System.Globalization.CultureInfo.InvariantCulture)))));

    private static XElement Payment(string customer, string date, string invoiceRecordNo, decimal amount) => new("ARPYMT",
        new XElement("CUSTOMERID", customer), new XElement("PAYMENTMETHOD", "EFT"), new XElement("RECEIPTDATE", date),
        new XElement("ARPYMTDETAILS", new XElement("arpymtdetail", new XElement("RECORDKEY", invoiceRecordNo), new XElement("TRX_PAYMENTAMOUNT", amount.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
}
