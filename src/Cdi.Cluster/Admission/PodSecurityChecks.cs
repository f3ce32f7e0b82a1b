using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Admission;

/// <summary>
/// Pure: the Pod Security Standards checks for the fields cdi's pods and kubectl users touch — host namespaces, host
/// ports, hostPath and other non-restricted volume types, privileged containers, capabilities, privilege escalation,
/// runAsNonRoot, runAsUser 0, seccomp — each answered as Kubernetes' pod-security admission words it ("reason
/// (detail)"), in the order of its check identifiers. AppArmor, SELinux, procMount, sysctls and probes' host fields
/// are not checked.
/// </summary>
internal static class PodSecurityChecks
{
    // Baseline lets containers add only the container runtime's default capabilities; restricted only NET_BIND_SERVICE.
    private static readonly HashSet<string> BaselineCapabilities = new(StringComparer.Ordinal)
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID",
        "SETPCAP", "SETUID", "SYS_CHROOT",
    };

    private static readonly string[] HostNamespaces = ["hostNetwork", "hostPID", "hostIPC"];

    private static readonly HashSet<string> RestrictedVolumeTypes = new(StringComparer.Ordinal)
    {
        "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret",
    };

    public static IReadOnlyList<string> Violations(JsonObject pod, PodSecurityLevel level)
    {
        if (level == PodSecurityLevel.Privileged)
        {
            return [];
        }
        var restricted = level == PodSecurityLevel.Restricted;
        var spec = pod["spec"] as JsonObject ?? [];
        var containers = PodDefaults.Containers(pod).Select(c => (Name: Str(c["name"]), Context: c["securityContext"] as JsonObject)).ToList();
        var podContext = spec["securityContext"] as JsonObject;
        var volumes = (spec["volumes"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var found = new List<string>();
        void Add(string reason, IEnumerable<string> details)
        {
            var list = details.ToList();
            if (list.Count > 0)
            {
                found.Add($"{reason} ({string.Join("; ", list)})");
            }
        }

        if (restricted)
        {
            Add("allowPrivilegeEscalation != false", Each(containers.Where(c => !IsFalse(c.Context?["allowPrivilegeEscalation"])),
                "must set securityContext.allowPrivilegeEscalation=false"));
        }
        var added = containers.Select(c => (c.Name, Add: Strings(c.Context?["capabilities"]?["add"]))).ToList();
        if (!restricted)
        {
            Add("non-default capabilities", added.Where(c => c.Add.Any(a => !BaselineCapabilities.Contains(a)))
                .Select(c => $"container {Quote(c.Name)} must not include {QuoteAll(c.Add.Where(a => !BaselineCapabilities.Contains(a)))} in securityContext.capabilities.add"));
        }
        else
        {
            var noDrop = containers.Where(c => !Strings(c.Context?["capabilities"]?["drop"]).Contains("ALL"));
            Add("unrestricted capabilities", Each(noDrop, "must set securityContext.capabilities.drop=[\"ALL\"]")
                .Concat(added.Where(c => c.Add.Any(a => a != "NET_BIND_SERVICE"))
                    .Select(c => $"container {Quote(c.Name)} must not include {QuoteAll(c.Add.Where(a => a != "NET_BIND_SERVICE"))} in securityContext.capabilities.add")));
        }
        Add("host namespaces", HostNamespaces.Where(f => IsTrue(spec[f])).Select(f => $"{f}=true"));
        if (!restricted)
        {
            var hostPaths = volumes.Where(v => v["hostPath"] is not null).Select(VolumeName).ToList();
            Add("hostPath volumes", hostPaths.Count == 0 ? [] : [$"{Plural("volume", hostPaths.Count)} {QuoteAll(hostPaths)}"]);
        }
        Add("hostPort", PodDefaults.Containers(pod).SelectMany(c => (c["ports"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(p => p["hostPort"] is JsonValue v && v.TryGetValue<long>(out var n) && n != 0)
                .Select(p => (Name: Str(c["name"]), Port: p["hostPort"]!.ToJsonString())))
            .GroupBy(x => x.Name).Select(g => $"container {Quote(g.Key)} uses {Plural("hostPort", g.Count())} {string.Join(", ", g.Select(x => x.Port))}"));
        Add("privileged", Each(containers.Where(c => IsTrue(c.Context?["privileged"])), "must not set securityContext.privileged=true"));
        if (restricted)
        {
            var bad = volumes.Select(v => (Name: VolumeName(v), Type: v.Select(p => p.Key).FirstOrDefault(k => k != "name") ?? ""))
                .Where(v => !RestrictedVolumeTypes.Contains(v.Type)).ToList();
            Add("restricted volume types", bad.Count == 0 ? [] : [bad.Count == 1
                ? $"volume {Quote(bad[0].Name)} uses restricted volume type {Quote(bad[0].Type)}"
                : $"volumes {QuoteAll(bad.Select(b => b.Name))} use restricted volume types {QuoteAll(bad.Select(b => b.Type).Distinct())}"]);
            Add("runAsNonRoot != true", RunAsNonRoot(podContext, containers));
            Add("runAsUser=0", (IsZero(podContext?["runAsUser"]) ? ["pod must not set runAsUser=0"] : Array.Empty<string>())
                .Concat(Each(containers.Where(c => IsZero(c.Context?["runAsUser"])), "must not set runAsUser=0")));
        }
        Add("seccompProfile", Seccomp(podContext, containers, restricted));
        return found;
    }

    private static IEnumerable<string> RunAsNonRoot(JsonObject? podContext, List<(string Name, JsonObject? Context)> containers)
    {
        var podFalse = IsFalse(podContext?["runAsNonRoot"]);
        if (podFalse)
        {
            yield return "pod must not set securityContext.runAsNonRoot=false";
        }
        foreach (var d in Each(containers.Where(c => IsFalse(c.Context?["runAsNonRoot"])), "must not set securityContext.runAsNonRoot=false"))
        {
            yield return d;
        }
        if (!podFalse && !IsTrue(podContext?["runAsNonRoot"]))
        {
            var unset = containers.Where(c => c.Context?["runAsNonRoot"] is null).ToList();
            if (unset.Count > 0)
            {
                yield return $"pod or {Plural("container", unset.Count)} {QuoteAll(unset.Select(c => c.Name))} must set securityContext.runAsNonRoot=true";
            }
        }
    }

    private static IEnumerable<string> Seccomp(JsonObject? podContext, List<(string Name, JsonObject? Context)> containers, bool restricted)
    {
        bool Allowed(string? type) => restricted ? type is "RuntimeDefault" or "Localhost" : type != "Unconfined";
        var podType = NullableStr(podContext?["seccompProfile"]?["type"]);
        if (podType is not null && !Allowed(podType))
        {
            yield return $"pod must not set securityContext.seccompProfile.type to {Quote(podType)}";
        }
        foreach (var group in containers.Select(c => (c.Name, Type: NullableStr(c.Context?["seccompProfile"]?["type"])))
            .Where(c => c.Type is not null && !Allowed(c.Type)).GroupBy(c => c.Type!))
        {
            yield return $"{Plural("container", group.Count())} {QuoteAll(group.Select(c => c.Name))} must not set securityContext.seccompProfile.type to {Quote(group.Key)}";
        }
        if (restricted && podType is null)
        {
            var unset = containers.Where(c => c.Context?["seccompProfile"]?["type"] is null).ToList();
            if (unset.Count > 0)
            {
                yield return $"pod or {Plural("container", unset.Count)} {QuoteAll(unset.Select(c => c.Name))} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"";
            }
        }
    }

    private static IEnumerable<string> Each(IEnumerable<(string Name, JsonObject? Context)> containers, string must)
    {
        var names = containers.Select(c => c.Name).ToList();
        return names.Count == 0 ? [] : [$"{Plural("container", names.Count)} {QuoteAll(names)} {must}"];
    }

    private static string VolumeName(JsonObject v) => Str(v["name"]);

    private static string Plural(string word, int n) => n == 1 ? word : word + "s";

    private static string Quote(string s) => Validation.GoQuoted.Of(s);

    private static string QuoteAll(IEnumerable<string> items) => string.Join(", ", items.Select(Quote));

    private static List<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList();

    // Requests are hostile until validated: a field of the wrong type reads as absent, never throws.
    private static string? NullableStr(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string Str(JsonNode? n) => NullableStr(n) ?? "";

    private static bool IsTrue(JsonNode? n) => n is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static bool IsFalse(JsonNode? n) => n is JsonValue v && v.TryGetValue<bool>(out var b) && !b;

    private static bool IsZero(JsonNode? n) => n is JsonValue v && v.TryGetValue<long>(out var l) && l == 0;
}
