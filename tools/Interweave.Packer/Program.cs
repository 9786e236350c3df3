using Interweave.Packer;

// pack [PACKAGE_FOLDER] [OUTPUT_FOLDER] [--version X.Y.Z]  -> OUTPUT/<Name>.gz and OUTPUT/<Name>.zip (defaults: creatio-package/Interweave, artifacts)
//   The archive's descriptor gets the pack time as ModifiedOnUtc (SOURCE_DATE_EPOCH, in seconds, fixes it) and, with --version, a new PackageVersion.
// unpack FILE.gz OUTPUT_FOLDER
const string Usage = "usage: Interweave.Packer pack [PACKAGE_FOLDER] [OUTPUT_FOLDER] [--version X.Y.Z] | unpack FILE.gz OUTPUT_FOLDER";
try
{
    switch (args)
    {
        case ["pack", .. var rest]:
            var versionAt = Array.IndexOf(rest, "--version");
            var version = versionAt >= 0 ? rest.ElementAtOrDefault(versionAt + 1) ?? throw new ArgumentException("--version needs a value") : null;
            var positional = versionAt >= 0 ? rest.Where((_, i) => i != versionAt && i != versionAt + 1).ToArray() : rest;
            DateTimeOffset? modifiedOn = long.TryParse(Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"), out var epoch) ? DateTimeOffset.FromUnixTimeSeconds(epoch) : null;
            var (gz, zip) = CreatioPackageArchive.Pack(positional.ElementAtOrDefault(0) ?? Path.Combine("creatio-package", "Interweave"), positional.ElementAtOrDefault(1) ?? "artifacts", modifiedOn, version);
            Console.WriteLine($"Wrote {gz} and {zip}");
            return 0;
        case ["unpack", var file, var output]:
            CreatioPackageArchive.Unpack(file, output);
            Console.WriteLine($"Unpacked {file} into {output}");
            return 0;
        default:
            Console.Error.WriteLine(Usage);
            return 2;
    }
}
catch (Exception ex) when (ex is ArgumentException or IOException or InvalidDataException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
