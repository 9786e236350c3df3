using System.Xml.Linq;
using Interweave.Sidecar.Api.Contracts;
using Interweave.Sidecar.Flows.Engine;
using Interweave.Sidecar.Intacct;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// Where a run reads from and where it leaves the watermark, with the sidecar's clock set by the test against
/// Intacct's: the newest change read, never past the run's start, read again less the overlap.
/// </summary>
public abstract class WatermarkTests(StoreProvider provider, PostgresServer postgres) : SimulatedSystemsTestBase(provider, postgres, intacctRandomSeed: 5)
{
    public sealed class OnSqlite(PostgresServer postgres) : WatermarkTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : WatermarkTests(StoreProvider.Postgres, postgres);

    private static readonly TimeSpan Overlap = new FlowOptions().WatermarkOverlap;

    private DateTimeOffset ModifiedInIntacct(string customerId) =>
        IntacctDates.ParseDateTime(Intacct.Gateway.Company.All("CUSTOMER").Single(r => r.Element("CUSTOMERID")?.Value == customerId).Element("WHENMODIFIED")!.Value);

    private static XElement Customer(string id) => new("CUSTOMER", new XElement("CUSTOMERID", id), new XElement("NAME", "Customer " + id), new XElement("STATUS", "active"));

    [Fact]
    public async Task A_run_leaves_the_watermark_at_the_newest_change_it_read_and_the_next_run_reads_from_there_less_the_overlap()
    {
        IntacctDirect.Create(Intacct, Customer("C-1"));
        var modified = ModifiedInIntacct("C-1");

        var first = await RunAsync("intacct-customers");
        var second = await RunAsync("intacct-customers");

        Assert.Equal((RunState.Succeeded, 1, (DateTimeOffset?)null, (DateTimeOffset?)modified), (first.State, first.ReadCount, first.WatermarkFrom, first.WatermarkTo));
        Assert.Equal(modified - Overlap, second.WatermarkFrom);
    }

    [Fact]
    public async Task The_watermark_never_passes_the_start_of_the_run_that_set_it()
    {
        // The sidecar's clock is an hour behind Intacct's: what Intacct changed "now" is, to the sidecar, an hour
        // ahead of the run. A watermark there would skip every change made in that hour.
        Sidecar.Clock.Offset = TimeSpan.FromHours(-1);
        IntacctDirect.Create(Intacct, Customer("C-2"));

        var run = await RunAsync("intacct-customers");

        Assert.Equal((RunState.Succeeded, 1), (run.State, run.ReadCount));
        Assert.InRange(run.WatermarkTo!.Value, run.StartedAt, run.FinishedAt!.Value);
        Assert.True(run.WatermarkTo < ModifiedInIntacct("C-2") - TimeSpan.FromMinutes(50), $"{run.WatermarkTo:O} should be the run's start, an hour before Intacct's change");
    }
}
