using Interweave.Packer;

// pack [PACKAGE_FOLDER] [OUTPUT_FOLDER]  -> OUTPUT/<Name>.gz and OUTPUT/<Name>.zip (defaults: creatio-package/Interweave, artifacts)
// unpack FILE.gz OUTPUT_FOLDER
const string Usage = "usage: Interweave.Packer pack [PACKAGE_FOLDER] [OUTPUT_FOLDER] | unpack FILE.gz OUTPUT_FOLDER";
try
{
    switch (args)
    {
        case ["pack", .. var rest]:
            var (gz, zip) = CreatioPackageArchive.Pack(rest.ElementAtOrDefault(0) ?? Path.Combine("creatio-package", "Interweave"), rest.ElementAtOrDefault(1) ?? "artifacts");
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
