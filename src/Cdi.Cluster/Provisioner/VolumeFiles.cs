using Cdi.Cluster.FileSafety;

namespace Cdi.Cluster.Provisioner;

/// <summary>
/// The files behind local PVs: DIR/volumes/&lt;pv&gt;/ for Filesystem, DIR/volumes/&lt;pv&gt;.img for Block. A PV name
/// that is not a plain file name, or a link planted where a volume goes, throws <see cref="UnsafePathException"/>.
/// </summary>
public sealed class VolumeFiles(string clusterDirectory)
{
    private readonly ContainedPath _root = ContainedPath.Under(clusterDirectory).Child("volumes", "folder");

    public string Root => _root.FullPath;

    public string PathFor(string pvName, bool block) => Contained(pvName, block).FullPath;

    /// <summary>Creates the backing directory, or a sparse file of <paramref name="sizeBytes"/> for Block. Idempotent.</summary>
    public string Create(string pvName, bool block, long sizeBytes)
    {
        var path = Contained(pvName, block);
        _root.CreateDirectory(OwnerOnly.Directory);
        path.RefuseLinks();
        if (block)
        {
            // SetLength on a new file leaves it sparse: no disk is used until written, as with a thin-provisioned LUN.
            using var file = new FileStream(path.FullPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
            if (file.Length != sizeBytes) file.SetLength(sizeBytes);
        }
        else
        {
            path.CreateDirectory(OwnerOnly.Directory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead
                | UnixFileMode.OtherExecute);
        }
        return path.FullPath;
    }

    /// <summary>
    /// Removes what <see cref="Create"/> made. Only a path directly inside <see cref="Root"/> is ever touched, and a link
    /// there is removed itself, not followed.
    /// </summary>
    public void Delete(string path)
    {
        ContainedPath target;
        try
        {
            target = _root.Locate(path, "persistentvolume hostPath");
        }
        catch (UnsafePathException)
        {
            return; // not one of ours
        }
        if (target.Parent().FullPath != _root.FullPath) return;
        target.Delete();
    }

    private ContainedPath Contained(string pvName, bool block) => _root.Child(pvName, "persistentvolume name", block ? ".img" : "");
}
