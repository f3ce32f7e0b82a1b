namespace Cdi.Cluster.Provisioner;

/// <summary>The files behind local PVs: DIR/volumes/&lt;pv&gt;/ for Filesystem, DIR/volumes/&lt;pv&gt;.img for Block.</summary>
public sealed class VolumeFiles(string clusterDirectory)
{
    public string Root { get; } = Path.Combine(Path.GetFullPath(clusterDirectory), "volumes");

    public string PathFor(string pvName, bool block) => block ? Path.Combine(Root, pvName + ".img") : Path.Combine(Root, pvName);

    /// <summary>Creates the backing directory, or a sparse file of <paramref name="sizeBytes"/> for Block. Idempotent.</summary>
    public string Create(string pvName, bool block, long sizeBytes)
    {
        Directory.CreateDirectory(Root);
        var path = PathFor(pvName, block);
        if (block)
        {
            // SetLength on a new file leaves it sparse: no disk is used until written, as with a thin-provisioned LUN.
            using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
            if (file.Length != sizeBytes) file.SetLength(sizeBytes);
        }
        else
        {
            Directory.CreateDirectory(path);
        }
        return path;
    }

    /// <summary>Removes what <see cref="Create"/> made; only paths inside <see cref="Root"/> are ever touched.</summary>
    public void Delete(string path)
    {
        var full = Path.GetFullPath(path);
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return;
        if (Directory.Exists(full)) Directory.Delete(full, recursive: true);
        else if (File.Exists(full)) File.Delete(full);
    }
}
