using Interweave.Sidecar.Security;
using Interweave.Sidecar.Storage;

namespace Interweave.Sidecar.Cli;

/// <summary>
/// <c>keys create --name N --role admin|creatio</c>, <c>keys list</c>, <c>keys revoke ID</c>, <c>keys rotate ID</c>: key management
/// for the first admin key and for automation, against the same store the server uses.
/// </summary>
public static class KeysCommand
{
    public const string Usage = "usage: keys create --name NAME --role admin|creatio | keys list | keys revoke ID | keys rotate ID";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<MigrationRunner>().ApplyAsync(cancellationToken);
        var keys = services.GetRequiredService<ApiKeyService>();
        var repository = services.GetRequiredService<ApiKeyRepository>();
        var time = services.GetRequiredService<TimeProvider>();

        switch (args)
        {
            case ["create", .. var rest]:
                var name = Option(rest, "--name");
                var role = Option(rest, "--role") ?? Roles.Admin;
                if (string.IsNullOrWhiteSpace(name) || !Roles.All.Contains(role))
                {
                    await error.WriteLineAsync(Usage);
                    return 2;
                }

                if (await keys.CreateAsync(name, role, cancellationToken) is not { } issued)
                {
                    await error.WriteLineAsync($"An active key is already named '{name}': choose another name, or rotate or revoke that key.");
                    return 1;
                }

                await WriteIssuedAsync(issued, output, error);
                return 0;

            case ["rotate", var id]:
                if (await keys.RotateAsync(id, cancellationToken) is { } rotated)
                {
                    await WriteIssuedAsync(rotated, output, error);
                    await error.WriteLineAsync($"Key {id} is revoked; give the new key to whatever used it.");
                    return 0;
                }

                await error.WriteLineAsync($"No active key with id {id}.");
                return 1;

            case ["list"]:
                foreach (var key in await repository.ListAsync(cancellationToken))
                {
                    var state = key.RevokedAt is null ? "active" : $"revoked {key.RevokedAt:u}";
                    // The prefix is the last column: scripts that read the first five keep working.
                    await output.WriteLineAsync($"{key.Id}\t{key.Role}\t{key.Name}\tcreated {key.CreatedAt:u}\t{state}\t{ApiKeyService.ShownPrefix(key.Prefix) ?? "(own key)"}");
                }

                return 0;

            case ["revoke", var id]:
                if (await repository.RevokeAsync(id, time.GetUtcNow(), cancellationToken)) return 0;
                await error.WriteLineAsync($"No active key with id {id}.");
                return 1;

            default:
                await error.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static async Task WriteIssuedAsync(IssuedApiKey issued, TextWriter output, TextWriter error)
    {
        await output.WriteLineAsync($"id:   {issued.Id}");
        await output.WriteLineAsync($"role: {issued.Role}");
        await output.WriteLineAsync($"key:  {issued.Key}");
        await error.WriteLineAsync("Store the key now: it is not shown again.");
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
