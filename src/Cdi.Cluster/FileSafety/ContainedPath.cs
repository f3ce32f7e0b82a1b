using System.Text;

namespace Cdi.Cluster.FileSafety;

/// <summary>
/// A path inside a trusted folder, built only from checked names. Each name taken from an object (namespace, pod,
/// container, volume or PV name, a configMap or secret key, <c>items[].path</c>, <c>subPath</c>) must be a plain file
/// name: not empty, not "." or "..", without '/' or NUL, at most 255 bytes; the full path must still lie inside the
/// folder after <see cref="Path.GetFullPath(string)"/>. Files are opened only after checking that nothing between the
/// folder and the file is a symbolic link, so a link planted inside (by a pod, say) cannot lead a write or a log read
/// outside. The folder itself, and what lies above it, are the user's choice and are not checked.
/// </summary>
public sealed class ContainedPath
{
    private const int MaxNameBytes = 255; // NAME_MAX on Linux

    private ContainedPath(string root, string fullPath)
    {
        Root = root;
        FullPath = fullPath;
    }

    /// <summary>The trusted folder every path built from this one stays in.</summary>
    public string Root { get; }

    public string FullPath { get; }

    public override string ToString() => FullPath;

    /// <summary>The trusted folder itself.</summary>
    public static ContainedPath Under(string root)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        return new ContainedPath(full, full);
    }

    /// <summary>
    /// This path with one more segment: <paramref name="name"/> (what the object calls it, e.g. "pod name") followed by
    /// a fixed <paramref name="suffix"/> such as ".log".
    /// </summary>
    /// <exception cref="UnsafePathException">The name is not a plain file name.</exception>
    public ContainedPath Child(string? name, string what, string suffix = "")
    {
        CheckName(name, what, name);
        CheckName(name + suffix, what, name);
        return Append(name + suffix, what, name);
    }

    /// <summary>
    /// This path with a relative path from an object (<c>items[].path</c>, <c>subPath</c>): '/'-separated plain names,
    /// never absolute, never "..".
    /// </summary>
    /// <exception cref="UnsafePathException">The path is empty, absolute, or has a segment that is not a plain name.</exception>
    public ContainedPath Descend(string? relative, string what)
    {
        if (string.IsNullOrEmpty(relative)) throw Refuse(what, relative, "must not be empty");
        if (relative[0] == '/') throw Refuse(what, relative, "must be a relative path");
        var current = this;
        foreach (var segment in relative.Split('/'))
        {
            CheckName(segment, what, relative);
            current = current.Append(segment, what, relative);
        }
        return current;
    }

    /// <summary>
    /// An absolute path from an object (a pod's hostPath), accepted only inside this folder: it is re-built segment by
    /// segment below it.
    /// </summary>
    /// <exception cref="UnsafePathException">The path is not absolute or lies outside this folder.</exception>
    public ContainedPath Locate(string? absolute, string what)
    {
        if (string.IsNullOrEmpty(absolute) || absolute[0] != '/') throw Refuse(what, absolute, "must be an absolute path");
        if (absolute.Contains('\0', StringComparison.Ordinal)) throw Refuse(what, absolute, "must not contain NUL");
        var relative = Path.GetRelativePath(FullPath, Path.GetFullPath(absolute));
        if (relative == ".") return this;
        if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            throw Refuse(what, absolute, $"lies outside {FullPath}");
        return Descend(relative, what);
    }

    /// <summary>The folder this path is in; the trusted folder stays the same.</summary>
    public ContainedPath Parent() =>
        FullPath == Root ? this : new ContainedPath(Root, Path.GetDirectoryName(FullPath) ?? Root);

    /// <summary>Throws when anything from below <see cref="Root"/> down to this path is a symbolic link.</summary>
    /// <exception cref="UnsafePathException">A symbolic link is on the way.</exception>
    public ContainedPath RefuseLinks()
    {
        foreach (var step in Steps())
        {
            var info = new FileInfo(step);
            if (info.LinkTarget is not null)
                throw new UnsafePathException($"{step} is a symbolic link (to {info.LinkTarget}): refusing to follow it out of {Root}");
            if ((int)info.Attributes == -1) break; // absent: nothing below it exists either
        }
        return this;
    }

    /// <summary>Whether this path exists (as anything, a link included).</summary>
    public bool Exists => (int)new FileInfo(FullPath).Attributes != -1;

    /// <summary>Creates this folder and its missing parents below <see cref="Root"/> with <paramref name="mode"/>, refusing links on the way.</summary>
    public ContainedPath CreateDirectory(UnixFileMode mode)
    {
        RefuseLinks();
        foreach (var step in Steps())
        {
            if (!System.IO.Directory.Exists(step)) System.IO.Directory.CreateDirectory(step, mode);
        }
        return RefuseLinks();
    }

    /// <summary>
    /// A new, empty file created with <paramref name="mode"/> (whatever was there, a link included, is removed first):
    /// O_CREAT|O_EXCL never follows a link, so the file is born with its mode, inside the folder.
    /// </summary>
    public FileStream CreateFile(UnixFileMode mode)
    {
        Parent().RefuseLinks();
        if (new FileInfo(FullPath).LinkTarget is not null || File.Exists(FullPath)) File.Delete(FullPath);
        return new FileStream(FullPath, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete, UnixCreateMode = mode,
        });
    }

    /// <summary>The file opened for appending (created with <paramref name="mode"/> when missing); a link is refused.</summary>
    public FileStream OpenAppend(UnixFileMode mode)
    {
        RefuseLinks();
        return new FileStream(FullPath, new FileStreamOptions
        {
            Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete, UnixCreateMode = mode,
        });
    }

    /// <summary>The file opened for reading; a link is refused.</summary>
    public FileStream OpenRead(bool useAsync = false)
    {
        RefuseLinks();
        return new FileStream(FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, useAsync);
    }

    /// <summary>Removes this file or folder tree. A link is removed itself; recursive deletion does not follow links inside.</summary>
    public void Delete()
    {
        Parent().RefuseLinks();
        var info = new FileInfo(FullPath);
        if (info.LinkTarget is not null || File.Exists(FullPath)) File.Delete(FullPath);
        else if (System.IO.Directory.Exists(FullPath)) System.IO.Directory.Delete(FullPath, recursive: true);
    }

    // Every path from Root's first child down to FullPath.
    private IEnumerable<string> Steps()
    {
        if (FullPath == Root) yield break;
        var current = Root;
        foreach (var segment in Path.GetRelativePath(Root, FullPath).Split(Path.DirectorySeparatorChar))
        {
            current = Path.Combine(current, segment);
            yield return current;
        }
    }

    private ContainedPath Append(string segment, string what, string? value)
    {
        var full = Path.GetFullPath(Path.Combine(FullPath, segment));
        var inside = FullPath.EndsWith(Path.DirectorySeparatorChar) ? FullPath : FullPath + Path.DirectorySeparatorChar;
        if (!full.StartsWith(inside, StringComparison.Ordinal)) throw Refuse(what, value, $"leads outside {FullPath}");
        return new ContainedPath(Root, full);
    }

    private static void CheckName(string? name, string what, string? value)
    {
        if (string.IsNullOrEmpty(name)) throw Refuse(what, value, "must not be empty or have an empty segment");
        if (name is "." or "..") throw Refuse(what, value, "must not be or contain \".\" or \"..\"");
        if (name.Contains('/', StringComparison.Ordinal)) throw Refuse(what, value, "must not contain '/'");
        if (name.Contains('\0', StringComparison.Ordinal)) throw Refuse(what, value, "must not contain NUL");
        if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes) throw Refuse(what, value, $"is longer than {MaxNameBytes} bytes as a file name");
    }

    private static UnsafePathException Refuse(string what, string? value, string reason) =>
        new($"{what} \"{Escape(value)}\" cannot be used as a file name: it {reason}");

    private static string Escape(string? value)
    {
        if (value is null) return "";
        var shown = value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\0", "\\0", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        return shown.Length > 100 ? shown[..100] + "…" : shown;
    }
}
