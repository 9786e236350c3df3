using System.Xml.Linq;
using Interweave.Simulators.Intacct;

namespace Interweave.Sidecar.Tests.Infrastructure;

/// <summary>Arranges records in the Intacct simulator directly, as someone working in Intacct would.</summary>
internal static class IntacctDirect
{
    public static Task CreateAsync(IntacctSimulator simulator, string objectName, params (string Field, string Value)[] fields)
    {
        var company = simulator.Gateway.Company;
        company.Create(company.Definitions[objectName], new XElement(objectName, fields.Select(f => new XElement(f.Field, f.Value))));
        return Task.CompletedTask;
    }

    /// <summary>Creates a record of a generic object given as XML (for groups such as DISPLAYCONTACT) and returns it as Intacct stored it.</summary>
    public static XElement Create(IntacctSimulator simulator, XElement record) =>
        simulator.Gateway.Company.Create(simulator.Gateway.Company.Definitions[record.Name.LocalName], record);

    /// <summary>Updates a record given as XML (for groups such as DISPLAYCONTACT) and returns it as Intacct stored it.</summary>
    public static XElement Update(IntacctSimulator simulator, XElement record) =>
        simulator.Gateway.Company.Update(simulator.Gateway.Company.Definitions[record.Name.LocalName], record);

    public static XElement Update(IntacctSimulator simulator, string objectName, params (string Field, string Value)[] fields) =>
        Update(simulator, new XElement(objectName, fields.Select(f => new XElement(f.Field, f.Value))));

    /// <summary>An AR invoice of one line, posted as create_invoice posts it; returns its RECORDNO.</summary>
    public static string Invoice(IntacctSimulator simulator, string customerId, DateOnly date, decimal amount, string? reference = null) =>
        Legacy(simulator, new XElement("create_invoice",
            new XElement("customerid", customerId), Date("datecreated", date), Date("datedue", date.AddDays(30)),
            reference is null ? null : new XElement("ponumber", reference),
            new XElement("invoiceitems", new XElement("lineitem", new XElement("glaccountno", "4000"), new XElement("amount", amount)))))!;

    /// <summary>An AR adjustment of one line as create_aradjustment posts it (a negative amount is a credit memo); returns its RECORDNO.</summary>
    public static string Adjustment(IntacctSimulator simulator, string customerId, DateOnly date, decimal amount) =>
        Legacy(simulator, new XElement("create_aradjustment",
            new XElement("customerid", customerId), Date("datecreated", date),
            new XElement("aradjustmentitems", new XElement("lineitem", new XElement("glaccountno", "4000"), new XElement("amount", amount)))))!;

    /// <summary>A payment received and applied to one invoice, as create_arpayment records it; returns its RECORDNO.</summary>
    public static string Payment(IntacctSimulator simulator, string customerId, string invoiceRecordNo, decimal amount, DateOnly date, string reference) =>
        Legacy(simulator, new XElement("create_arpayment",
            new XElement("customerid", customerId), new XElement("paymentamount", amount), new XElement("bankaccountid", "BOA"), new XElement("refid", reference),
            Date("datereceived", date), new XElement("paymentmethod", "EFT"), new XElement("currency", "USD"),
            new XElement("arpaymentitem", new XElement("invoicekey", invoiceRecordNo), new XElement("amount", amount))))!;

    /// <summary>
    /// An advance: a payment applied to nothing, which create_arpayment records as an AR advance under the default Open
    /// Item setting (AR payments page); returns its RECORDNO.
    /// </summary>
    public static string Advance(IntacctSimulator simulator, string customerId, decimal amount, DateOnly date, string reference) =>
        Legacy(simulator, new XElement("create_arpayment",
            new XElement("customerid", customerId), new XElement("paymentamount", amount), new XElement("bankaccountid", "BOA"), new XElement("refid", reference),
            Date("datereceived", date), new XElement("paymentmethod", "EFT"), new XElement("currency", "USD")))!;

    /// <summary>Applies what a payment left unapplied (an advance, an overpayment) to an invoice with apply_arpayment; returns the application's RECORDNO.</summary>
    public static string Apply(IntacctSimulator simulator, string paymentRecordNo, string invoiceRecordNo, decimal amount, DateOnly date) =>
        Legacy(simulator, new XElement("apply_arpayment",
            new XElement("arpaymentkey", paymentRecordNo), Date("paymentdate", date),
            new XElement("arpaymentitems", new XElement("arpaymentitem", new XElement("invoicekey", invoiceRecordNo), new XElement("amount", amount)))))!;

    /// <summary>Runs a legacy function as the gateway would and returns its key; an Intacct refusal fails the test with Intacct's text.</summary>
    public static string? Legacy(IntacctSimulator simulator, XElement body)
    {
        try
        {
            return IntacctLegacyFunctions.Execute(simulator.Gateway.Company, body)?.Value;
        }
        catch (IntacctFunctionException ex)
        {
            throw new InvalidOperationException(string.Join(" / ", ex.Errors.Select(e => $"{e.Number} {e.Description} {e.Description2}")));
        }
    }

    private static XElement Date(string name, DateOnly date) =>
        new(name, new XElement("year", date.Year), new XElement("month", date.Month), new XElement("day", date.Day));
}
