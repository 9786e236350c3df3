using Interweave.Sidecar.Configuration;
using Interweave.Sidecar.Security;
using Interweave.Sidecar.Storage;
using Interweave.Sidecar.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Interweave.Sidecar.Tests;

/// <summary>No Docker engine runs here, so docker-compose.yml is checked by reading it against the code.</summary>
public sealed class DeploymentTests
{
    private static readonly string Root = RepositoryRoot.Find();

    [Fact]
    public void Compose_runs_postgres_and_the_sidecar_on_it_with_health_checks()
    {
        var services = (YamlMappingNode)Load()["services"];
        var postgres = (YamlMappingNode)services["postgres"];
        var sidecar = (YamlMappingNode)services["sidecar"];

        Assert.NotNull(postgres["healthcheck"]);
        Assert.Contains("healthcheck", ((YamlSequenceNode)((YamlMappingNode)sidecar["healthcheck"])["test"]).Children.Select(c => c.ToString()));
        Assert.Equal("service_healthy", ((YamlMappingNode)((YamlMappingNode)sidecar["depends_on"])["postgres"])["condition"].ToString());
        var build = (YamlMappingNode)sidecar["build"];
        Assert.True(File.Exists(Path.Combine(Root, build["context"].ToString(), build["dockerfile"].ToString())));

        var environment = (YamlMappingNode)sidecar["environment"];
        Assert.Equal("postgres", environment["Interweave__Storage__Provider"].ToString());
        Assert.StartsWith("Host=postgres;", environment["ConnectionStrings__Interweave"].ToString());
    }

    [Fact]
    public void Every_setting_compose_passes_is_one_the_sidecar_reads()
    {
        var environment = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)Load()["services"])["sidecar"])["environment"];
        var known = KnownSettings();

        foreach (var key in environment.Children.Keys.Select(k => k.ToString().Replace("__", ":", StringComparison.Ordinal)))
            Assert.True(known.Contains(key), $"docker-compose.yml sets {key}, which the sidecar does not read.");
    }

    private static HashSet<string> KnownSettings()
    {
        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "ConnectionStrings:Interweave" };
        foreach (var (section, type) in new[] { (InterweaveOptions.Section, typeof(InterweaveOptions)), (StorageOptions.Section, typeof(StorageOptions)), (ApiKeyOptions.Section, typeof(ApiKeyOptions)) })
            foreach (var property in type.GetProperties().Where(p => p.SetMethod?.IsPublic == true))
                known.Add($"{section}:{property.Name}");
        return known;
    }

    private static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Root, "docker-compose.yml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }
}
