using System.Text.Json;

namespace Cdi.Cli.Tests.Crash;

/// <summary>
/// The DataVolumes of one namespace as a watch reports them, checked at every event: a DataVolume that reached
/// Succeeded never leaves it, and none is recreated (its UID never changes).
/// </summary>
internal sealed class DataVolumeLedger(string ns)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DataVolumeState> _current = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _uids = new(StringComparer.Ordinal);
    private readonly HashSet<string> _succeeded = new(StringComparer.Ordinal);
    private readonly List<string> _violations = [];

    public void OnEvent(string type, JsonElement dv)
    {
        if (DataVolumeState.From(dv, ns) is not { } d)
        {
            return;
        }
        lock (_gate)
        {
            if (type == "DELETED")
            {
                _current.Remove(d.Name);
                _violations.Add($"DataVolume {d.Name} was deleted");
                return;
            }
            Observe(d);
        }
    }

    public void OnList(IReadOnlyList<JsonElement> dvs)
    {
        lock (_gate)
        {
            var listed = dvs.Select(x => DataVolumeState.From(x, ns)).OfType<DataVolumeState>().ToList();
            foreach (var gone in _current.Keys.Except(listed.Select(d => d.Name)).ToList())
            {
                _violations.Add($"DataVolume {gone} disappeared");
                _current.Remove(gone);
            }
            foreach (var d in listed)
            {
                Observe(d);
            }
        }
    }

    /// <summary>How many changes the watch has reported (to show that faults landed while the controller worked).</summary>
    public int Changes { get; private set; }

    private void Observe(DataVolumeState d)
    {
        Changes++;
        if (_uids.TryGetValue(d.Name, out var uid) && uid != d.Uid)
        {
            _violations.Add($"DataVolume {d.Name} was recreated (uid {uid} -> {d.Uid})");
        }
        _uids[d.Name] = d.Uid;
        if (_succeeded.Contains(d.Name) && d.Phase != "Succeeded")
        {
            _violations.Add($"DataVolume {d.Name} left Succeeded for {d.Phase}");
        }
        if (d.Phase == "Succeeded")
        {
            _succeeded.Add(d.Name);
        }
        _current[d.Name] = d;
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

    public DataVolumeState? Get(string name)
    {
        lock (_gate)
        {
            return _current.GetValueOrDefault(name);
        }
    }

    public int Count(string phase)
    {
        lock (_gate)
        {
            return _current.Values.Count(d => d.Phase == phase);
        }
    }

    public string Table()
    {
        lock (_gate)
        {
            return string.Join("\n", _current.Values.OrderBy(d => d.Name, StringComparer.Ordinal)
                .Select(d => $"  {d.Name}: {d.Phase} restarts {d.RestartCount}" +
                    (d.Phase == "Succeeded" || string.IsNullOrEmpty(d.Message) ? "" : $" \"{d.Message[..Math.Min(d.Message.Length, 300)]}\"")));
        }
    }
}
