using System.Globalization;
using System.Xml.Linq;

namespace Interweave.Simulators.Intacct;

/// <summary>What a company has before anyone integrates with it, and a small realistic demo company on top.</summary>
internal static class IntacctDemoSeed
{
    /// <summary>
    /// Company setup every company has, whatever the seed: two entities, a few GL accounts and AR terms. A new real
    /// company is set up with a chart of accounts and terms before it takes invoices.
    /// </summary>
    public static void ApplySetup(IntacctCompany company)
    {
        foreach (var (id, name) in new[] { ("US01", "United States"), ("UK01", "United Kingdom") })
        {
            var location = company.Create(company.Definitions["LOCATION"], new XElement("LOCATION", new XElement("LOCATIONID", id), new XElement("NAME", name)));
            location.SetElementValue("ENTITY", "true");
        }

        foreach (var (number, title, type) in new[] { ("1000", "Bank", "balancesheet"), ("1200", "Accounts Receivable", "balancesheet"), ("1300", "Undeposited Funds", "balancesheet"), ("4000", "Sales", "incomestatement"), ("4100", "Services Revenue", "incomestatement") })
            company.Create(company.Definitions["GLACCOUNT"], new XElement("GLACCOUNT", new XElement("ACCOUNTNO", number), new XElement("TITLE", title), new XElement("ACCOUNTTYPE", type)));

        company.AddTransactionDefinition(new TransactionDefinition("Sales Quote", "QT", false, "Pending"), "Quote");
        company.AddTransactionDefinition(new TransactionDefinition("Sales Order", "SO", false, "Pending"), "Order");
        company.AddTransactionDefinition(new TransactionDefinition("Sales Invoice", "INV", true, "Closed"), "Invoice");

        // Terms are read-only through the generic API; they are arranged here as an administrator sets them up.
        foreach (var (name, days) in new[] { ("Net 15", 15), ("Net 30", 30), ("Net 60", 60), ("Due on Receipt", 0) })
            company.AddSetupRecord("ARTERM", new XElement("ARTERM", new XElement("NAME", name), new XElement("DESCRIPTION", name),
                new XElement("STATUS", "active"), new XElement("DUEDATE", days.ToString(CultureInfo.InvariantCulture)), new XElement("DUEFROM", "from invoice/bill date")));
    }

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
            company.Create(company.Definitions["CUSTOMER"], new XElement("CUSTOMER",
                new XElement("CUSTOMERID", c.Id), new XElement("NAME", c.Name),
                new XElement("DISPLAYCONTACT", new XElement("PRINTAS", c.Name), new XElement("EMAIL1", c.Email),
                    new XElement("MAILADDRESS", new XElement("CITY", c.City), new XElement("COUNTRY", c.Country))),
                new XElement("CURRENCY", "USD"),
                c.AccountId is null ? null : new XElement("ACCOUNTID", c.AccountId)));
        }

        company.Create(company.Definitions["VENDOR"], new XElement("VENDOR", new XElement("VENDORID", "V-2001"), new XElement("NAME", "Crédit & Supply Co.")));

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
            company.Create(company.Definitions["ITEM"], new XElement("ITEM",
                new XElement("ITEMID", i.Id), new XElement("NAME", i.Name), new XElement("ITEMTYPE", "Non-Inventory (Sales only)"),
                new XElement("BASEPRICE", i.Price.ToString(CultureInfo.InvariantCulture)),
                i.ProductId is null ? null : new XElement("PRODUCTID", i.ProductId)));
        }

        var open = Invoice(company, "C-1001", "10/01/2026", "10/31/2026", 990m);
        var paid = Invoice(company, "C-1004", "09/15/2026", "10/15/2026", 1200m);
        Invoice(company, "C-1002", "11/02/2026", "12/02/2026", 2580m);
        Payment(company, "C-1004", "10/10/2026", paid, 1200m);
        Payment(company, "C-1001", "10/20/2026", open, 400m);
        // A credit memo: adjustment lines are negative for a credit (Sage's adjustment-line sample, txnCurrency -125.00).
        company.PostAdjustment(new XElement("ARADJUSTMENT", new XElement("CUSTOMERID", "C-1002"), new XElement("WHENCREATED", "11/10/2026"),
                new XElement("DOCNUMBER", "returned goods")),
            [new XElement("ARADJUSTMENTITEM", new XElement("ACCOUNTNO", "4000"), new XElement("AMOUNT", "-180.00"))], "Could not create AR Adjustment record.");
    }

    private static string Invoice(IntacctCompany company, string customer, string date, string due, decimal amount) => company.PostInvoice(
        new XElement("ARINVOICE", new XElement("CUSTOMERID", customer), new XElement("WHENCREATED", date), new XElement("WHENDUE", due)),
        [new XElement("ARINVOICEITEM", new XElement("ACCOUNTNO", "4000"), new XElement("AMOUNT", amount.ToString(CultureInfo.InvariantCulture)))],
        draft: false, "Could not create Invoice record.").Element("RECORDNO")!.Value;

    private static void Payment(IntacctCompany company, string customer, string date, string invoiceRecordNo, decimal amount) => company.CreatePayment(
        new XElement("ARPYMT", new XElement("CUSTOMERID", customer), new XElement("PAYMENTMETHOD", "EFT"), new XElement("RECEIPTDATE", date),
            new XElement("CURRENCY", "USD"), new XElement("FINANCIALENTITY", "BOA")),
        [new XElement("ARPYMTDETAIL", new XElement("RECORDKEY", invoiceRecordNo), new XElement("TRX_PAYMENTAMOUNT", amount.ToString(CultureInfo.InvariantCulture)))],
        draft: false, amount: null, company.Time.GetUtcNow());
}
