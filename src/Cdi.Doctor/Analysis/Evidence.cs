using Cdi.Api.DataVolumes;
using Cdi.Kube.Models;

namespace Cdi.Doctor.Analysis;

/// <summary>How findings quote what they saw: one line each, the same form everywhere.</summary>
public static class Evidence
{
    public static string Of(Event e) =>
        $"event {e.Type} {e.Reason} on {e.InvolvedObject.Kind?.ToLowerInvariant()}/{e.InvolvedObject.Name}{(e.Count > 1 ? $" (x{e.Count})" : "")}: {OneLine(e.Message)}";

    public static string Of(DataVolumeCondition c) => $"condition {c.Type}={c.Status} reason={c.Reason}: {OneLine(c.Message)}";

    public static string Field(string path, object? value) => $"{path}: {value}";

    public static string OneLine(string? s) => (s ?? "").ReplaceLineEndings(" ").Trim();
}
