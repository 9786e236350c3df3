namespace Interweave.Sidecar.Tests;

/// <summary>Rules about the repository's files themselves, checked by reading them.</summary>
public sealed class RepositoryRulesTests
{
    private static readonly string[] Skipped = ["bin", "obj", "node_modules", ".git"];
    private static readonly string[] TextFiles = [".cs", ".js", ".ts", ".md", ".json", ".sh", ".sql", ".xml", ".yml", ".yaml", ".html", ".css", ".props"];

    // Built from parts so this file does not cite what it forbids.
    private static readonly string[] OutsidePaths = [".." + "/shared/", "/work" + "/shared/"];

    [Fact]
    public void No_file_cites_a_document_outside_the_repository()
    {
        var root = RepositoryRoot.Find();
        var offenders = Files(root)
            .Where(path => TextFiles.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase))
            .SelectMany(path => File.ReadLines(path).Select((line, index) => (path, line, number: index + 1)))
            .Where(hit => OutsidePaths.Any(outside => hit.line.Contains(outside, StringComparison.Ordinal)))
            .Select(hit => $"{Path.GetRelativePath(root, hit.path)}:{hit.number}")
            .ToList();

        Assert.True(offenders.Count == 0, "A reader of the repository cannot open these citations; cite the public source instead: " + string.Join(", ", offenders));
    }

    private static IEnumerable<string> Files(string directory) =>
        Directory.EnumerateFiles(directory).Concat(Directory.EnumerateDirectories(directory)
            .Where(child => !Skipped.Contains(Path.GetFileName(child)))
            .SelectMany(Files));
}
