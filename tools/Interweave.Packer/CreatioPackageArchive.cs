using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Interweave.Packer;

/// <summary>One file of a package archive: its path inside the package (backslashes) and its bytes.</summary>
public sealed record PackageEntry(string Path, byte[] Content);

/// <summary>
/// Creatio's installable package format (what clio's generate-pkg-zip writes): a GZip stream of records, each
/// an int32 little-endian path length in UTF-16 code units, the UTF-16LE path with backslashes, an int32
/// little-endian byte length and the bytes; no header and no terminator. Several packages travel as a .zip
/// holding the .gz files at its root. Written by hand because no published library reads or writes it.
/// </summary>
public static class CreatioPackageArchive
{
    /// <summary>What Creatio installs from a package folder; anything else (notes, editor files) stays out.</summary>
    public static readonly IReadOnlyList<string> PackedFolders = ["Assemblies", "Bin", "Data", "Files", "Resources", "Schemas", "SqlScripts"];

    public static IReadOnlyList<PackageEntry> Collect(string packageFolder)
    {
        if (!File.Exists(Path.Combine(packageFolder, "descriptor.json")))
            throw new ArgumentException($"{packageFolder} has no descriptor.json: it is not a Creatio package folder.", nameof(packageFolder));
        var files = new List<string> { Path.Combine(packageFolder, "descriptor.json") };
        foreach (var folder in PackedFolders.Select(f => Path.Combine(packageFolder, f)).Where(Directory.Exists))
            files.AddRange(Directory.GetFiles(folder, "*", SearchOption.AllDirectories));
        // descriptor.json first, as in archives Creatio and clio write; then ordinal order, so packing is reproducible.
        return files
            .Select(f => new PackageEntry(System.IO.Path.GetRelativePath(packageFolder, f).Replace('/', '\\'), File.ReadAllBytes(f)))
            .OrderBy(e => e.Path == "descriptor.json" ? 0 : 1)
            .ThenBy(e => e.Path, StringComparer.Ordinal)
            .ToList();
    }

    public static void WriteGz(IReadOnlyList<PackageEntry> entries, Stream output)
    {
        using var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true);
        using var writer = new BinaryWriter(gzip, Encoding.Unicode, leaveOpen: true);
        foreach (var entry in entries)
        {
            var path = Encoding.Unicode.GetBytes(entry.Path);
            writer.Write(entry.Path.Length); // BinaryWriter writes int32 little-endian on every platform
            writer.Write(path);
            writer.Write(entry.Content.Length);
            writer.Write(entry.Content);
        }
    }

    public static IReadOnlyList<PackageEntry> ReadGz(Stream input)
    {
        using var gzip = new GZipStream(input, CompressionMode.Decompress, leaveOpen: true);
        using var buffered = new MemoryStream();
        gzip.CopyTo(buffered);
        buffered.Position = 0;
        using var reader = new BinaryReader(buffered, Encoding.Unicode);
        var entries = new List<PackageEntry>();
        while (buffered.Position < buffered.Length)
        {
            var pathLength = reader.ReadInt32();
            if (pathLength == 0) break;
            if (pathLength < 0 || pathLength * 2L > buffered.Length - buffered.Position) throw new InvalidDataException("A path length runs past the end of the archive.");
            var path = Encoding.Unicode.GetString(reader.ReadBytes(pathLength * 2));
            var length = reader.ReadInt32();
            if (length < 0 || length > buffered.Length - buffered.Position) throw new InvalidDataException($"The length of {path} runs past the end of the archive.");
            entries.Add(new PackageEntry(path, reader.ReadBytes(length)));
        }

        return entries;
    }

    /// <summary>
    /// Writes &lt;Name&gt;.gz and &lt;Name&gt;.zip (holding the .gz) into the output folder; returns both paths. The archive's
    /// descriptor.json carries the pack time as ModifiedOnUtc (Creatio updates its package record on an upgrade only when that
    /// stamp changes, as clio's SetPackageVersionCommandTests record) and, when given, a new PackageVersion.
    /// </summary>
    public static (string Gz, string Zip) Pack(string packageFolder, string outputFolder, DateTimeOffset? modifiedOn = null, string? version = null)
    {
        var name = new DirectoryInfo(packageFolder).Name;
        Directory.CreateDirectory(outputFolder);
        var gz = Path.Combine(outputFolder, name + ".gz");
        var entries = Collect(packageFolder)
            .Select(e => e.Path == "descriptor.json" ? e with { Content = StampDescriptor(e.Content, modifiedOn ?? DateTimeOffset.UtcNow, version) } : e)
            .ToList();
        using (var stream = File.Create(gz)) WriteGz(entries, stream);
        var zip = Path.Combine(outputFolder, name + ".zip");
        File.Delete(zip);
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            var entry = archive.CreateEntry(name + ".gz", CompressionLevel.NoCompression);
            entry.LastWriteTime = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
            using var target = entry.Open();
            using var source = File.OpenRead(gz);
            source.CopyTo(target);
        }

        return (gz, zip);
    }

    /// <summary>The descriptor with ModifiedOnUtc (and PackageVersion) replaced in place: byte order mark, layout and every other value kept.</summary>
    public static byte[] StampDescriptor(byte[] descriptor, DateTimeOffset modifiedOn, string? version)
    {
        var text = Encoding.UTF8.GetString(descriptor);
        var stamped = Regex.Replace(text, @"(""ModifiedOnUtc"":\s*"")[^""]*("")",
            m => m.Groups[1].Value + @"\/Date(" + modifiedOn.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) + @")\/" + m.Groups[2].Value, default, TimeSpan.FromSeconds(1));
        if (version is not null)
        {
            if (!Regex.IsMatch(version, @"^\d+(\.\d+){1,3}$"))
                throw new ArgumentException($"'{version}' is not a package version such as 1.2.0.", nameof(version));
            // Only the package's own version, the first one; DependsOn entries keep theirs.
            stamped = new Regex(@"(""PackageVersion"":\s*"")[^""]*("")").Replace(stamped, m => m.Groups[1].Value + version + m.Groups[2].Value, 1);
        }

        return Encoding.UTF8.GetBytes(stamped);
    }

    /// <summary>Writes every entry of a .gz under the output folder (paths turned back into this OS's separators).</summary>
    public static void Unpack(string gzFile, string outputFolder)
    {
        using var input = File.OpenRead(gzFile);
        var root = Path.GetFullPath(outputFolder);
        foreach (var entry in ReadGz(input))
        {
            var target = Path.GetFullPath(Path.Combine(root, entry.Path.Replace('\\', Path.DirectorySeparatorChar)));
            if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new InvalidDataException($"{entry.Path} would be written outside {outputFolder}.");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, entry.Content);
        }
    }
}
