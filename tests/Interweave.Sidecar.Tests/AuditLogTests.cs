using System.Net;
using System.Net.Http.Json;
using Dapper;
using Interweave.Sidecar.Api;
using Interweave.Sidecar.Security;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Interweave.Sidecar.Tests;

/// <summary>Who changed what: each change to a connection, a flow or a key is in the audit log with its key's name and a diff, never a secret.</summary>
public abstract class AuditLogTests(StoreProvider provider, PostgresServer postgres) : SimulatedSystemsTestBase(provider, postgres, intacctRandomSeed: 23)
{
    public sealed class OnSqlite(PostgresServer postgres) : AuditLogTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : AuditLogTests(StoreProvider.Postgres, postgres);

    private async Task<AuditEntry[]> AuditAsync(string query) => (await AdminClient().GetFromJsonAsync<AuditEntry[]>($"/api/audit?{query}", Cancellation))!;

    [Fact]
    public async Task A_flow_change_is_logged_with_the_key_s_name_and_the_fields_before_and_after()
    {
        var ops = Sidecar.CreateClient((await CreateKeyAsync("ops on call", Roles.Admin)).Key);

        Assert.Equal(HttpStatusCode.OK, (await ops.PutAsJsonAsync("/api/flows/intacct-payments", new { schedule = "0 0 6 * * ?", enabled = false }, Cancellation)).StatusCode);
        // A refused change changes nothing and logs nothing.
        Assert.Equal(HttpStatusCode.BadRequest, (await ops.PutAsJsonAsync("/api/flows/intacct-payments", new { schedule = "every 5 minutes" }, Cancellation)).StatusCode);

        var entry = Assert.Single(await AuditAsync("entity=flow"));
        Assert.Equal(("ops on call", "intacct-payments", "update"), (entry.KeyName, entry.EntityId, entry.Action));
        Assert.Equal(["enabled", "schedule"], entry.Changes.Select(c => c.Field).Order());
        Assert.Contains(entry.Changes, c => c is { Field: "schedule", Before: "0 0/15 * * * ?", After: "0 0 6 * * ?" });
        Assert.Contains(entry.Changes, c => c is { Field: "enabled", Before: "true", After: "false" });
    }

    [Fact]
    public async Task Connection_changes_show_a_changed_password_but_never_its_value()
    {
        // The base class stored both connections as the bootstrap key; a second save changes only the user password.
        var password = Intacct.Options.UserPassword;
        var entries = await AuditAsync("entity=connection");
        Assert.Equal(["creatio", "intacct"], entries.Select(e => e.EntityId).Order());
        Assert.All(entries, e => Assert.Equal("bootstrap", e.KeyName));
        Assert.Contains(entries.Single(e => e.EntityId == "intacct").Changes, c => c is { Field: "userPassword", Before: null, After: "(changed)" });

        await using var connection = await Sidecar.Services.GetRequiredService<Store>().OpenAsync(Cancellation);
        var stored = string.Join("\n", await connection.QueryAsync<string>("select changes from audit_log"));
        Assert.DoesNotContain(password, stored);
        Assert.Contains(entries.Single(e => e.EntityId == "creatio").Changes, c => c is { Field: "password", Before: null, After: "(changed)" });
    }

    [Fact]
    public async Task Keys_created_rotated_and_revoked_are_logged_without_the_key()
    {
        var created = await CreateKeyAsync("creatio-prod", Roles.Creatio);
        var rotated = await (await AdminClient().PostAsync($"/api/keys/{created.Id}/rotate", null, Cancellation)).Content.ReadFromJsonAsync<CreatedApiKey>(Cancellation);
        Assert.Equal(HttpStatusCode.NoContent, (await AdminClient().DeleteAsync($"/api/keys/{rotated!.Id}", Cancellation)).StatusCode);

        var entries = await AuditAsync("entity=key");
        Assert.Equal(["revoke", "rotate", "create"], entries.Select(e => e.Action));
        Assert.Contains(entries[2].Changes, c => c is { Field: "name", After: "creatio-prod" });
        Assert.Contains(entries[2].Changes, c => c is { Field: "key", After: "(changed)" });
        Assert.Contains(entries[1].Changes, c => c is { Field: "revoked", Before: "false", After: "true" });
        await using var connection = await Sidecar.Services.GetRequiredService<Store>().OpenAsync(Cancellation);
        var stored = string.Join("\n", await connection.QueryAsync<string>("select changes from audit_log"));
        Assert.DoesNotContain(created.Key, stored);
        Assert.DoesNotContain(rotated.Key, stored);
        // Paged back from the newest.
        Assert.Equal(["rotate", "create"], (await AuditAsync($"entity=key&before={entries[0].Id}")).Select(e => e.Action));
    }
}
