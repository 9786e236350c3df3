using System.Net;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Interweave.Sidecar.Security;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Interweave.Sidecar.Tests;

/// <summary>
/// Guessing keys (security review F11): the failed-key throttle also counts per key, so guesses spread over many
/// addresses are held back too and even a right guess is not revealed once the key's allowance is spent; and the
/// bootstrap key, which an operator chose and may be weak, is stored salted and slow, never as a plain SHA-256.
/// </summary>
public abstract class ApiKeyGuessingTests(StoreProvider provider, PostgresServer postgres) : SidecarTestBase(provider, postgres)
{
    public sealed class OnSqlite(PostgresServer postgres) : ApiKeyGuessingTests(StoreProvider.Sqlite, postgres);

    public sealed class OnPostgres(PostgresServer postgres) : ApiKeyGuessingTests(StoreProvider.Postgres, postgres);

    [Fact]
    public async Task Guesses_at_one_key_from_many_addresses_hold_that_key_back_even_for_the_right_secret_and_leave_other_keys_alone()
    {
        Sidecar.Settings["Interweave:ApiKeys:FailedAttemptsPerKeyPerMinute"] = "3";
        var target = await CreateKeyAsync("ops", Roles.Admin);
        var parts = target.Key.Split('_');

        for (var i = 1; i <= 3; i++) // each from its own address, so the address throttle (10 a minute) never trips
            Assert.Equal(StatusCodes.Status401Unauthorized, (await StatusFromAsync($"10.0.0.{i}", $"iw_{parts[1]}_guess{i}")).Status);

        var right = await StatusFromAsync("10.0.0.9", target.Key);
        Assert.Equal(StatusCodes.Status429TooManyRequests, right.Status);
        Assert.Contains("this API key", right.Body, StringComparison.Ordinal);
        Assert.Equal(StatusCodes.Status200OK, (await StatusFromAsync("10.0.0.9", SidecarFactory.AdminKey)).Status);
    }

    [Fact]
    public async Task Guesses_of_another_form_from_many_addresses_hold_the_bootstrap_key_back_and_leave_generated_keys_alone()
    {
        Sidecar.Settings["Interweave:ApiKeys:FailedAttemptsPerKeyPerMinute"] = "3";
        var generated = await CreateKeyAsync("ops", Roles.Admin);

        for (var i = 1; i <= 3; i++)
            Assert.Equal(StatusCodes.Status401Unauthorized, (await StatusFromAsync($"10.0.1.{i}", $"a-guess-at-the-bootstrap-phrase-number-{i}")).Status);

        Assert.Equal(StatusCodes.Status429TooManyRequests, (await StatusFromAsync("10.0.1.9", SidecarFactory.AdminKey)).Status);
        Assert.Equal(StatusCodes.Status200OK, (await StatusFromAsync("10.0.1.9", generated.Key)).Status);
    }

    [Fact]
    public async Task The_bootstrap_key_is_stored_salted_and_slow_and_a_plain_hash_from_before_is_replaced_at_the_next_start()
    {
        Assert.Equal(HttpStatusCode.OK, (await AdminClient().GetAsync("/api/status", Cancellation)).StatusCode);
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(SidecarFactory.AdminKey)));
        var stored = await BootstrapRowAsync();
        AssertSaltedAndSlow(stored, sha);

        // The row as the sidecar wrote it before: the key's SHA-256, under 'h' and 12 of its hex digits.
        await using (var store = TestStore.OpenStore())
        await using (var connection = await store.OpenAsync(Cancellation))
            await connection.ExecuteAsync("update api_keys set prefix = @prefix, key_hash = @sha where id = @id", new { prefix = "h" + sha[..12], sha, id = stored.Id });

        await using var restarted = new SidecarFactory(TestStore);
        restarted.Settings["Interweave:DataDirectory"] = Sidecar.DataDirectory;
        Assert.Equal(HttpStatusCode.OK, (await restarted.CreateClient(SidecarFactory.AdminKey).GetAsync("/api/status", Cancellation)).StatusCode);
        var upgraded = await BootstrapRowAsync();
        Assert.Equal(stored.Id, upgraded.Id);
        AssertSaltedAndSlow(upgraded, sha);
        Assert.NotEqual(stored.KeyHash, upgraded.KeyHash); // a new salt
    }

    private static void AssertSaltedAndSlow(ApiKeyRecord row, string sha)
    {
        Assert.StartsWith("pbkdf2-sha256$600000$", row.KeyHash, StringComparison.Ordinal);
        Assert.DoesNotContain(sha, row.KeyHash, StringComparison.Ordinal);
        Assert.DoesNotContain(sha[..12], row.Prefix, StringComparison.Ordinal);
    }

    private async Task<ApiKeyRecord> BootstrapRowAsync() =>
        Assert.Single(await Sidecar.Services.GetRequiredService<ApiKeyRepository>().ListAsync(Cancellation), k => k.Name == "bootstrap");

    /// <summary>GET /api/status with a key, as if from another client address (TestServer lets the test set it).</summary>
    private async Task<(int Status, string Body)> StatusFromAsync(string address, string key)
    {
        var context = await Sidecar.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = "/api/status";
            c.Request.Headers["X-Api-Key"] = key;
            c.Connection.RemoteIpAddress = IPAddress.Parse(address);
        }, Cancellation);
        return (context.Response.StatusCode, await new StreamReader(context.Response.Body).ReadToEndAsync(Cancellation));
    }
}
