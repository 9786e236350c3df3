namespace Interweave.Sidecar.Tests.Infrastructure;

/// <summary>
/// The Creatio package the package tests read: creatio-package/Interweave, or the folder INTERWEAVE_PACKAGE_UNDER_TEST
/// names (to run the same rules against another build of the package, an older one say).
/// </summary>
internal static class PackageUnderTest
{
    public static string Folder { get; } = Environment.GetEnvironmentVariable("INTERWEAVE_PACKAGE_UNDER_TEST") is { Length: > 0 } other
        ? Path.GetFullPath(other)
        : Path.Combine(RepositoryRoot.Find(), "creatio-package", "Interweave");
}
