using System.Text.Json;

namespace Cdi.Cli.Tests.Crash;

/// <summary>What the crash tests need to know of one importer pod, read from its JSON (not from the project's models).</summary>
internal sealed record ImporterPod(string Uid, string Name, string DataVolume, string Phase, string? Message)
{
    /// <summary>Not finished: its process runs, or may yet run.</summary>
    public bool Active => Phase is not ("Succeeded" or "Failed");

    /// <summary>It ended only to say the image needs scratch space (a planned second pod, not a failure).</summary>
    public bool AskedForScratch => Message is { } m &&
        (m.Contains("\"scratchSpaceRequired\":true", StringComparison.OrdinalIgnoreCase) || m.Contains("ScratchSpaceRequired", StringComparison.Ordinal));

    /// <summary>The importer pod in <paramref name="ns"/> that <paramref name="pod"/> is, or null for any other pod.</summary>
    public static ImporterPod? From(JsonElement pod, string ns)
    {
        var meta = pod.GetProperty("metadata");
        if (Str(meta, "namespace") != ns)
        {
            return null;
        }
        var name = Str(meta, "name") ?? "";
        var labels = meta.TryGetProperty("labels", out var l) ? l : default;
        var role = labels.ValueKind == JsonValueKind.Object ? Str(labels, "cdi.kubevirt.io") : null;
        if (role != "importer" && !name.StartsWith("importer-", StringComparison.Ordinal))
        {
            return null;
        }
        var dv = (labels.ValueKind == JsonValueKind.Object ? Str(labels, "cdi.kubevirt.io/datavolume") : null)
            ?? Owner(meta, "DataVolume") ?? Owner(meta, "PersistentVolumeClaim") ?? name["importer-".Length..];
        var status = pod.TryGetProperty("status", out var s) ? s : default;
        var phase = status.ValueKind == JsonValueKind.Object ? Str(status, "phase") ?? "Pending" : "Pending";
        string? message = null;
        if (status.ValueKind == JsonValueKind.Object && status.TryGetProperty("containerStatuses", out var containers))
        {
            foreach (var c in containers.EnumerateArray())
            {
                if (c.TryGetProperty("state", out var state) && state.TryGetProperty("terminated", out var terminated))
                {
                    message = Str(terminated, "message");
                }
            }
        }
        return new ImporterPod(Str(meta, "uid")!, name, dv, phase, message);
    }

    private static string? Owner(JsonElement meta, string kind) =>
        meta.TryGetProperty("ownerReferences", out var owners)
            ? owners.EnumerateArray().Where(o => Str(o, "kind") == kind).Select(o => Str(o, "name")).FirstOrDefault()
            : null;

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
