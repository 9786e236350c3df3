using System.Xml.Linq;
using Interweave.Simulators.Intacct;

namespace Interweave.Sidecar.Tests.Infrastructure;

/// <summary>Arranges records in the Intacct simulator directly, as someone working in Intacct would.</summary>
internal static class IntacctDirect
{
    public static Task CreateAsync(IntacctSimulator simulator, string objectName, params (string Field, string Value)[] fields)
    {
        simulator.Gateway.Company.Create(IntacctSchema.Objects[objectName], new XElement(objectName, fields.Select(f => new XElement(f.Field, f.Value))));
        return Task.CompletedTask;
    }

    /// <summary>Creates a record given as XML (for records with lines) and returns it as Intacct stored it.</summary>
    public static XElement Create(IntacctSimulator simulator, XElement record) =>
        simulator.Gateway.Company.Create(IntacctSchema.Objects[record.Name.LocalName], record);

    /// <summary>Updates a record given as XML (for groups such as DISPLAYCONTACT) and returns it as Intacct stored it.</summary>
    public static XElement Update(IntacctSimulator simulator, XElement record) =>
        simulator.Gateway.Company.Update(IntacctSchema.Objects[record.Name.LocalName], record);

    public static XElement Update(IntacctSimulator simulator, string objectName, params (string Field, string Value)[] fields) =>
        simulator.Gateway.Company.Update(IntacctSchema.Objects[objectName], new XElement(objectName, fields.Select(f => new XElement(f.Field, f.Value))));
}
