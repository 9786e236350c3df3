using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Interweave.Packer;

namespace Interweave.Sidecar.Tests;

/// <summary>The Creatio package folder and its installable archive.</summary>
public sealed class PackageTests : IDisposable
{
    private static readonly string PackageFolder = Path.Combine(RepositoryRoot.Find(), "creatio-package", "Interweave");
    private readonly string _work = Directory.CreateTempSubdirectory("interweave-pack-").FullName;

    [Fact]
    public void Pack_then_unpack_gives_back_every_file_byte_for_byte()
    {
        var (gz, zip) = CreatioPackageArchive.Pack(PackageFolder, Path.Combine(_work, "out"));
        CreatioPackageArchive.Unpack(gz, Path.Combine(_work, "unpacked"));

        var original = CreatioPackageArchive.Collect(PackageFolder);
        Assert.Contains(original, e => e.Path == "descriptor.json");
        Assert.Contains(original, e => e.Path == @"Schemas\Account\metadata.json");
        foreach (var entry in original)
            Assert.Equal(entry.Content, File.ReadAllBytes(Path.Combine(_work, "unpacked", entry.Path.Replace('\\', Path.DirectorySeparatorChar))));

        using var archive = ZipFile.OpenRead(zip);
        Assert.Equal(["Interweave.gz"], archive.Entries.Select(e => e.FullName));
    }

    [Fact]
    public void The_gz_is_records_of_utf16_paths_with_backslashes_and_little_endian_lengths()
    {
        var (gz, _) = CreatioPackageArchive.Pack(PackageFolder, Path.Combine(_work, "out"));
        using var raw = new MemoryStream();
        using (var gzip = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress)) gzip.CopyTo(raw);
        var bytes = raw.ToArray();

        // Walk the records by hand, independently of the reader under test.
        var position = 0;
        var paths = new List<string>();
        while (position < bytes.Length)
        {
            var pathLength = BitConverter.ToInt32(bytes, position);
            var path = Encoding.Unicode.GetString(bytes, position + 4, pathLength * 2);
            var length = BitConverter.ToInt32(bytes, position + 4 + pathLength * 2);
            position += 4 + pathLength * 2 + 4 + length;
            paths.Add(path);
        }

        Assert.Equal(bytes.Length, position);
        Assert.Equal("descriptor.json", paths[0]);
        Assert.All(paths, p => Assert.DoesNotContain('/', p));
        Assert.Contains(@"Resources\Account.Entity\resource.en-US.xml", paths);
        Assert.Equal(paths.Skip(1).Order(StringComparer.Ordinal), paths.Skip(1));
    }

    [Fact]
    public void Packing_twice_gives_the_same_bytes()
    {
        var first = File.ReadAllBytes(CreatioPackageArchive.Pack(PackageFolder, Path.Combine(_work, "a")).Gz);
        var second = File.ReadAllBytes(CreatioPackageArchive.Pack(PackageFolder, Path.Combine(_work, "b")).Gz);
        Assert.Equal(first, second);
    }

    [Fact]
    public void An_archive_entry_cannot_escape_the_output_folder()
    {
        var evil = Path.Combine(_work, "evil.gz");
        using (var stream = File.Create(evil)) CreatioPackageArchive.WriteGz([new PackageEntry(@"..\..\outside.txt", [1, 2, 3])], stream);
        Assert.Throws<InvalidDataException>(() => CreatioPackageArchive.Unpack(evil, Path.Combine(_work, "x")));
    }

    [Fact]
    public void Every_json_file_parses_with_a_bom_and_schema_folders_match_their_names()
    {
        var uids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Directory.GetFiles(PackageFolder, "*.json", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "metadata.json"))
        {
            var bytes = File.ReadAllBytes(file);
            Assert.True(bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }), $"{file} lacks the UTF-8 BOM Creatio writes.");
            var json = JsonNode.Parse(Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF'))!;
            if (Path.GetFileName(file) == "descriptor.json" && json["Descriptor"]?["UId"] is { } uid)
            {
                Assert.True(Guid.TryParse((string?)uid, out _), $"{file}: UId is not a GUID.");
                Assert.True(uids.Add((string)uid!), $"{file}: UId {uid} is used twice.");
                if (Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(file))) == "Schemas")
                    Assert.Equal(Path.GetFileName(Path.GetDirectoryName(file)), (string?)json["Descriptor"]!["Name"]);
            }
        }

        Assert.True(uids.Count >= 7);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
