using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using System.Xml.XPath;
using Interweave.Simulators.Intacct;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// Request and response shapes recorded from real Intacct, its official SDKs' fixtures and Sage's pages
/// (Fixtures/Intacct/*.xml, each naming its source), replayed against the simulator. A fixture gives the functions
/// to send and the answer expected at a path of the response: element names and order, attributes, and values,
/// where {any} stands for any text and {timestamp} for an MM/DD/YYYY HH:MM:SS time.
/// </summary>
public sealed class IntacctFixtureTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Intacct");

    public static TheoryData<string> Fixtures() => new(Directory.GetFiles(Folder, "*.xml").Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task The_simulator_answers_as_the_recorded_source_shows(string fixtureName)
    {
        var fixture = XDocument.Load(Path.Combine(Folder, fixtureName)).Root!;
        var options = new IntacctSimulatorOptions { Seed = "none" };
        await using var simulator = await IntacctSimulator.StartAsync(options);
        using var http = new HttpClient();

        async Task<XElement> SendAsync(IEnumerable<XElement> functions, bool transaction, string userPassword)
        {
            var request = new XElement("request",
                new XElement("control", new XElement("senderid", options.SenderId), new XElement("password", options.SenderPassword),
                    new XElement("controlid", Guid.NewGuid().ToString("n")), new XElement("uniqueid", "false"), new XElement("dtdversion", "3.0")),
                new XElement("operation", new XAttribute("transaction", transaction ? "true" : "false"),
                    new XElement("authentication", new XElement("login", new XElement("userid", options.UserId), new XElement("companyid", options.CompanyId),
                        new XElement("password", userPassword))),
                    new XElement("content", functions)));
            var response = await http.PostAsync(simulator.EndpointUrl, new StringContent(request.ToString(), Encoding.UTF8, "application/xml"), TestContext.Current.CancellationToken);
            return XDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Root!;
        }

        if (fixture.Element("setup") is { } setup)
        {
            var arranged = await SendAsync(setup.Elements("function"), transaction: false, options.UserPassword);
            Assert.All(arranged.XPathSelectElements("operation/result/status"), status => Assert.Equal("success", status.Value));
        }

        var answer = await SendAsync(fixture.Element("request")!.Elements("function"), fixture.Attribute("transaction")?.Value == "true",
            fixture.Attribute("userpassword")?.Value ?? options.UserPassword);

        foreach (var expect in fixture.Elements("expect"))
        {
            var path = expect.Attribute("path")!.Value;
            var actual = answer.XPathSelectElement(path);
            Assert.True(actual is not null, $"{fixtureName}: the answer has no {path}:\n{answer}");
            AssertShape(expect.Elements().Single(), actual, $"{fixtureName}: {path}");
        }
    }

    private static void AssertShape(XElement expected, XElement actual, string where)
    {
        Assert.True(expected.Name == actual.Name, $"{where}: expected {expected.Name}, found {actual.Name}");
        foreach (var attribute in expected.Attributes())
        {
            var value = actual.Attribute(attribute.Name)?.Value;
            Assert.True(value is not null && Matches(attribute.Value, value), $"{where}/{expected.Name}: attribute {attribute.Name} is '{value}', expected '{attribute.Value}'");
        }

        var expectedChildren = expected.Elements().ToList();
        var actualChildren = actual.Elements().ToList();
        if (expectedChildren.Count == 0)
        {
            Assert.True(!actual.HasElements && Matches(expected.Value, actual.Value), $"{where}/{expected.Name}: value '{actual}', expected '{expected.Value}'");
            return;
        }

        Assert.True(expectedChildren.Select(e => e.Name.LocalName).SequenceEqual(actualChildren.Select(e => e.Name.LocalName)),
            $"{where}/{expected.Name}: children [{string.Join(", ", actualChildren.Select(e => e.Name.LocalName))}], expected [{string.Join(", ", expectedChildren.Select(e => e.Name.LocalName))}]");
        for (var i = 0; i < expectedChildren.Count; i++) AssertShape(expectedChildren[i], actualChildren[i], $"{where}/{expected.Name}");
    }

    private static bool Matches(string expected, string actual) =>
        Regex.IsMatch(actual, "^" + Regex.Escape(expected.Trim()).Replace(@"\{any}", ".*").Replace(@"\{timestamp}", @"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d") + "$", RegexOptions.Singleline);
}
