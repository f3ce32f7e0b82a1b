namespace Cdi.Importer.Core.Sources.Registry;

/// <summary>
/// Which paths of a lower layer survive the layers above it, for a walk from the top layer down: a path is hidden by the
/// same path above, by a whiteout of it or of an ancestor, by an opaque marker on an ancestor, or by a non-directory
/// above at an ancestor's path. A layer's own entries only affect the layers below it.
/// </summary>
public sealed class LayerVisibility
{
    private readonly HashSet<string> _present = new(StringComparer.Ordinal);
    private readonly HashSet<string> _hidesBelow = new(StringComparer.Ordinal);
    private readonly HashSet<string> _opaque = new(StringComparer.Ordinal);
    private readonly List<(string Path, Kind What)> _pending = [];

    private enum Kind { Present, HidesBelow, Opaque }

    public bool IsVisible(string path)
    {
        if (_present.Contains(path) || _hidesBelow.Contains(path))
        {
            return false;
        }
        foreach (var ancestor in LayerPath.Ancestors(path))
        {
            if (_hidesBelow.Contains(ancestor) || _opaque.Contains(ancestor))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Records an entry of the current layer; it takes effect for the next layer down.</summary>
    public void Record(string path, bool isDirectory)
    {
        if (LayerPath.TryWhiteout(path, out var target, out var opaque))
        {
            _pending.Add((target, opaque ? Kind.Opaque : Kind.HidesBelow));
            return;
        }
        _pending.Add((path, isDirectory ? Kind.Present : Kind.HidesBelow));
    }

    public void EndLayer()
    {
        foreach (var (path, what) in _pending)
        {
            (what switch { Kind.Present => _present, Kind.HidesBelow => _hidesBelow, _ => _opaque }).Add(path);
        }
        _pending.Clear();
    }
}
