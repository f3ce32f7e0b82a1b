using System.Diagnostics;
using System.Text.Json;

namespace Cdi.Bench.ControlPlane;

/// <summary>
/// What the watches saw, stamped on arrival with one clock: per DataVolume the first moment of each milestone
/// (created, claim created, claim Bound, importer pod created, pod Succeeded, each DataVolume phase), and every
/// write (watch event) per kind, which is how writes are counted without a counter in the API server.
/// </summary>
internal sealed class Timeline(string ns, Stopwatch clock)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string DataVolume, string Milestone), TimeSpan> _first = [];
    private readonly Dictionary<string, int> _writes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _succeeded = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pods = new(StringComparer.Ordinal);
    private TimeSpan _lastEvent;

    public void OnEvent(string kind, string type, JsonElement obj)
    {
        var now = clock.Elapsed;
        var meta = obj.GetProperty("metadata");
        var objectNs = meta.TryGetProperty("namespace", out var n) ? n.GetString() : null;
        if (kind == "persistentvolumes")
        {
            objectNs = obj.TryGetProperty("spec", out var spec) && spec.TryGetProperty("claimRef", out var claimRef) && claimRef.TryGetProperty("namespace", out var cn)
                ? cn.GetString() : null;
        }
        if (objectNs != ns)
        {
            return;
        }
        var name = meta.GetProperty("name").GetString()!;
        var phase = obj.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object && status.TryGetProperty("phase", out var p)
            ? p.GetString() : null;
        lock (_gate)
        {
            _lastEvent = now;
            _writes[kind] = _writes.GetValueOrDefault(kind) + 1;
            switch (kind)
            {
                case "datavolumes":
                    Mark(name, "dv:created", now);
                    if (phase is not null)
                    {
                        Mark(name, "dv:" + phase, now);
                        if (phase == "Succeeded")
                        {
                            _succeeded.Add(name);
                        }
                    }
                    break;
                case "persistentvolumeclaims":
                    Mark(name, "pvc:created", now);
                    if (phase == "Bound")
                    {
                        Mark(name, "pvc:Bound", now);
                    }
                    break;
                case "pods":
                    var dv = name.StartsWith("importer-", StringComparison.Ordinal) ? name["importer-".Length..] : name;
                    Mark(dv, "pod:created", now);
                    if (phase is "Succeeded" or "Failed")
                    {
                        Mark(dv, "pod:" + phase, now);
                    }
                    if (type == "DELETED")
                    {
                        _pods.Remove(name);
                    }
                    else
                    {
                        _pods.Add(name);
                    }
                    break;
            }
        }
    }

    private void Mark(string dataVolume, string milestone, TimeSpan at) => _first.TryAdd((dataVolume, milestone), at);

    public int Succeeded
    {
        get
        {
            lock (_gate)
            {
                return _succeeded.Count;
            }
        }
    }

    public int PodsPresent
    {
        get
        {
            lock (_gate)
            {
                return _pods.Count;
            }
        }
    }

    public TimeSpan LastEvent
    {
        get
        {
            lock (_gate)
            {
                return _lastEvent;
            }
        }
    }

    public IReadOnlyDictionary<string, int> Writes
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, int>(_writes, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>For every DataVolume that passed both milestones: the time from the first to the second.</summary>
    public List<TimeSpan> Between(string from, string to)
    {
        lock (_gate)
        {
            return [.. _first.Where(e => e.Key.Milestone == from)
                .Select(e => _first.TryGetValue((e.Key.DataVolume, to), out var end) ? end - e.Value : (TimeSpan?)null)
                .OfType<TimeSpan>()];
        }
    }

    public TimeSpan? Last(string milestone)
    {
        lock (_gate)
        {
            var all = _first.Where(e => e.Key.Milestone == milestone).Select(e => e.Value).ToList();
            return all.Count == 0 ? null : all.Max();
        }
    }
}
