using Dapper;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Interweave.Sidecar.Tests;

public abstract class MigrationTests(StoreProvider provider, PostgresServer postgres) : StoreTestBase(provider, postgres)
{
    public sealed class OnSqlite(PostgresServer postgres) : MigrationTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : MigrationTests(StoreProvider.Postgres, postgres);

    [Fact]
    public async Task Migrations_apply_once_and_record_their_checksums()
    {
        await using var store = TestStore.OpenStore();
        var runner = new MigrationRunner(store, NullLogger<MigrationRunner>.Instance);

        Assert.False(await runner.IsCurrentAsync(Cancellation));
        Assert.Equal(MigrationRunner.Embedded.Count, await runner.ApplyAsync(Cancellation));
        Assert.Equal(0, await runner.ApplyAsync(Cancellation));
        Assert.True(await runner.IsCurrentAsync(Cancellation));

        await using var connection = await store.OpenAsync(Cancellation);
        var recorded = (await connection.QueryAsync<(long Version, string Checksum)>("select version, checksum from schema_migrations order by version")).ToList();
        Assert.Equal(MigrationRunner.Embedded.Select(m => ((long)m.Version, m.Checksum)), recorded);
        // The tables the first migration creates are there and empty.
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from api_keys"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from connections"));
    }

    [Fact]
    public async Task Concurrent_start_ups_apply_each_migration_exactly_once()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => TestStore.OpenStore()).ToList();
        try
        {
            var applied = await Task.WhenAll(stores.Select(s => new MigrationRunner(s, NullLogger<MigrationRunner>.Instance).ApplyAsync(Cancellation)));

            Assert.Equal(MigrationRunner.Embedded.Count, applied.Sum());
            await using var connection = await stores[0].OpenAsync(Cancellation);
            Assert.Equal(MigrationRunner.Embedded.Count, await connection.ExecuteScalarAsync<long>("select count(*) from schema_migrations"));
        }
        finally
        {
            foreach (var store in stores) await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_applied_migration_that_changed_stops_the_start_up()
    {
        await using var store = await TestStore.OpenMigratedStoreAsync();
        await using (var connection = await store.OpenAsync(Cancellation))
            await connection.ExecuteAsync("update schema_migrations set checksum = 'edited' where version = 1");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new MigrationRunner(store, NullLogger<MigrationRunner>.Instance).ApplyAsync(Cancellation));
        Assert.Contains("0001_initial was changed after it was applied", error.Message);
    }

    [Fact]
    public async Task Timestamps_round_trip_as_utc_on_both_stores()
    {
        await using var store = await TestStore.OpenMigratedStoreAsync();
        var repository = new ConnectionRepository(store);
        var at = new DateTimeOffset(2026, 11, 24, 13, 45, 12, 345, TimeSpan.Zero);

        await repository.SaveAsync("intacct", "payload", at, Cancellation);
        await repository.RecordOutcomeAsync("intacct", at.AddMinutes(5), "boom", Cancellation);
        var read = await repository.GetAsync("intacct", Cancellation);

        Assert.NotNull(read);
        Assert.Equal(at, read.UpdatedAt);
        Assert.Equal(at.AddMinutes(5), read.LastFailedAt);
        Assert.Null(read.LastSucceededAt);
        Assert.Equal("boom", read.LastError);
    }
}
