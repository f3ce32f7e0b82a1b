using System.Text.Json;

namespace Cdi.Cli.Tests.Crash;

/// <summary>
/// Every importer pod a watch reports, checked at every event: at most one active (not yet Succeeded or Failed)
/// importer pod per DataVolume exists at once. Keeps each pod's history (by UID) for the end-of-test accounting.
/// </summary>
internal sealed class ImporterPodLedger(string ns)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ImporterPod> _current = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ImporterPod> _ever = new(StringComparer.Ordinal);
    private readonly List<string> _violations = [];

    public void OnEvent(string type, JsonElement pod)
    {
        if (ImporterPod.From(pod, ns) is not { } p)
        {
            return;
        }
        lock (_gate)
        {
            if (type == "DELETED")
            {
                _current.Remove(p.Uid);
            }
            else
            {
                _current[p.Uid] = p;
            }
            Remember(p);
            Check($"{type} {p.Name} ({p.Uid}) phase {p.Phase}");
        }
    }

    public void OnList(IReadOnlyList<JsonElement> pods)
    {
        lock (_gate)
        {
            _current.Clear();
            foreach (var p in pods.Select(x => ImporterPod.From(x, ns)).OfType<ImporterPod>())
            {
                _current[p.Uid] = p;
                Remember(p);
            }
            Check("list");
        }
    }

    // A pod once seen Failed stays counted as failed, whatever its later events show.
    private void Remember(ImporterPod p) =>
        _ever[p.Uid] = _ever.TryGetValue(p.Uid, out var before) && before.Phase == "Failed" ? before : p;

    private void Check(string at)
    {
        foreach (var group in _current.Values.Where(p => p.Active).GroupBy(p => p.DataVolume))
        {
            if (group.Count() > 1)
            {
                _violations.Add($"at {at}: {group.Count()} active importer pods for DataVolume {group.Key}: " +
                    string.Join(", ", group.Select(p => $"{p.Name} uid {p.Uid} phase {p.Phase}")));
            }
        }
    }

    /// <summary>Importer pods the node reports Running now: the node's truth, not the controller's (lagging) view of it.</summary>
    public int Running
    {
        get
        {
            lock (_gate) return _current.Values.Count(p => p.Phase == "Running");
        }
    }

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_gate)
            {
                return [.. _violations];
            }
        }
    }

    /// <summary>The DataVolume a current pod of that name imports for (null when none is known).</summary>
    public string? DataVolumeOf(string podName)
    {
        lock (_gate)
        {
            return _current.Values.FirstOrDefault(p => p.Name == podName)?.DataVolume;
        }
    }

    /// <summary>Importer pods of <paramref name="dataVolume"/> that really failed: ended Failed, not merely to ask for scratch space.</summary>
    public int Failed(string dataVolume)
    {
        lock (_gate)
        {
            return _ever.Values.Count(p => p.DataVolume == dataVolume && p.Phase == "Failed" && !p.AskedForScratch);
        }
    }

    /// <summary>Importer pods ever created for <paramref name="dataVolume"/>, and how many of them only asked for scratch space.</summary>
    public (int Created, int ScratchRequests) Created(string dataVolume)
    {
        lock (_gate)
        {
            var pods = _ever.Values.Where(p => p.DataVolume == dataVolume).ToList();
            return (pods.Count, pods.Count(p => p.AskedForScratch));
        }
    }

    public string Describe(string dataVolume)
    {
        lock (_gate)
        {
            return string.Join("; ", _ever.Values.Where(p => p.DataVolume == dataVolume)
                .Select(p => $"{p.Name} {p.Uid[..8]} {p.Phase}{(p.Message is { Length: > 0 } m ? " \"" + m[..Math.Min(m.Length, 160)] + "\"" : "")}"));
        }
    }
}
