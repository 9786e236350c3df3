namespace Interweave.Sidecar.Security;

/// <summary>
/// Creates the folders and files that hold secrets (the store, the key ring) readable by the sidecar's own user
/// only, whatever the umask. Existing paths keep the mode an admin gave them.
/// </summary>
public static class PrivatePaths
{
    public const UnixFileMode PrivateFolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute; // 0700
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // 0600

    public static void EnsureFolder(string path)
    {
        if (Directory.Exists(path)) return;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path); // inherits the parent's ACL
            return;
        }

        var parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (parent is not null) EnsureFolder(parent);
        Directory.CreateDirectory(path, PrivateFolderMode);
    }

    /// <summary>
    /// An empty file with mode 0600 where none exists. SQLite accepts an empty file as a new database and gives
    /// its -wal and -shm files the database file's mode.
    /// </summary>
    public static void EnsureFile(string path)
    {
        if (File.Exists(path)) return;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) EnsureFolder(folder);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = PrivateFileMode;
        try
        {
            using var _ = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created by another process (or test host) in between: fine.
        }
    }
}
