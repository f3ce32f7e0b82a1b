using Cdi.Cluster.FileSafety;

namespace Cdi.Cluster.Hosting;

/// <summary>
/// The cluster folder is its user's alone: DIR itself and DIR/pki 0700; the store (cluster.db with its -wal and -shm
/// journals, which hold every object, Secrets included), pki/*.key and pki/token, kubeconfig and cluster.log 0600;
/// pods/ and volumes/ 0700 (the certificates are public; the folders around them are not). New files are created with
/// their mode (never a moment readable by others); an existing folder from an older cluster is tightened when a cluster
/// starts in it.
/// </summary>
internal static class PrivateState
{
    /// <summary>Creates DIR (0700), or tightens an existing one and the private files already in it.</summary>
    public static void Secure(string dir)
    {
        if (!Directory.Exists(dir)) Directory.CreateDirectory(dir, OwnerOnly.Directory);
        File.SetUnixFileMode(dir, OwnerOnly.Directory);
        var pki = ClusterFiles.Pki(dir);
        if (Directory.Exists(pki))
        {
            File.SetUnixFileMode(pki, OwnerOnly.Directory);
            foreach (var file in Directory.EnumerateFiles(pki).Where(f => f.EndsWith(".key", StringComparison.Ordinal) || f == ClusterFiles.Token(dir)))
                Tighten(file);
        }
        foreach (var folder in (string[])[Path.Combine(dir, "pods"), Path.Combine(dir, "volumes")])
        {
            if (Directory.Exists(folder) && new DirectoryInfo(folder).LinkTarget is null) File.SetUnixFileMode(folder, OwnerOnly.Directory);
        }
        var database = ClusterFiles.Database(dir);
        foreach (var file in (string[])[database, database + "-wal", database + "-shm", ClusterFiles.Kubeconfig(dir), ClusterFiles.Log(dir)])
            Tighten(file);
    }

    /// <summary>
    /// Creates <paramref name="path"/> empty and 0600 when missing, so what opens it next (SQLite, which gives its
    /// journals the database's mode; a shell's <c>&gt;&gt;</c>) keeps it private.
    /// </summary>
    public static void Touch(string path)
    {
        try
        {
            using var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly.File });
        }
        catch (IOException) when (File.Exists(path))
        {
            Tighten(path);
        }
    }

    /// <summary>Writes <paramref name="path"/> anew, created 0600 (a file already there is replaced, not reused with its mode).</summary>
    public static void Write(string path, string text)
    {
        File.Delete(path);
        using var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly.File });
        using var writer = new StreamWriter(file);
        writer.Write(text);
    }

    private static void Tighten(string file)
    {
        if (File.Exists(file) && new FileInfo(file).LinkTarget is null) File.SetUnixFileMode(file, OwnerOnly.File);
    }
}
