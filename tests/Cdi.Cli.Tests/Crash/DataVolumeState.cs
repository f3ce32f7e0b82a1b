using System.Text.Json;

namespace Cdi.Cli.Tests.Crash;

/// <summary>A DataVolume's name, UID, phase and restart count, read from its JSON.</summary>
internal sealed record DataVolumeState(string Name, string Uid, string Phase, int RestartCount, string? Message)
{
    public static DataVolumeState? From(JsonElement dv, string ns)
    {
        var meta = dv.GetProperty("metadata");
        if (meta.GetProperty("namespace").GetString() != ns)
        {
            return null;
        }
        var status = dv.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        var phase = status.ValueKind == JsonValueKind.Object && status.TryGetProperty("phase", out var p) ? p.GetString() ?? "" : "";
        var restarts = status.ValueKind == JsonValueKind.Object && status.TryGetProperty("restartCount", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt32() : 0;
        // The Running condition says why an import is not progressing (or why it failed).
        string? message = null;
        if (status.ValueKind == JsonValueKind.Object && status.TryGetProperty("conditions", out var conditions) && conditions.ValueKind == JsonValueKind.Array)
        {
            message = conditions.EnumerateArray()
                .Where(c => c.TryGetProperty("type", out var t) && t.GetString() == "Running" && c.TryGetProperty("message", out _))
                .Select(c => c.GetProperty("message").GetString()).FirstOrDefault();
        }
        return new DataVolumeState(meta.GetProperty("name").GetString()!, meta.GetProperty("uid").GetString()!, phase, restarts, message);
    }
}
