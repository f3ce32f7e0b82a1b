using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cdi.Api;
using Cdi.Api.Config;
using Cdi.Controller.DataVolumes;
using Cdi.Controller.Settings;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Doctor.Snapshot;

/// <summary>
/// Fills a snapshot from a live cluster: namespaced kinds in one namespace (or all), cluster-scoped kinds whole,
/// worker pods' log tails. A kind the server does not serve or the caller may not list is recorded as unreadable,
/// not fatal. Secrets are never read.
/// </summary>
public sealed class SnapshotCollector(KubeClient client)
{
    /// <summary>Log lines read per worker pod: the failure or the retry warnings are at the end, between progress lines.</summary>
    public const int LogTailLines = 300;

    /// <summary>Lines kept per worker pod once progress lines are dropped, so a dump stays small.</summary>
    public const int LogKeptLines = 20;

    private static readonly ResourceType<JsonObject> NetworkPolicies =
        KubeResources.Unstructured("networking.k8s.io", "v1", "networkpolicies", true, "NetworkPolicy");

    private readonly List<string> _unreadable = [];

    /// <param name="namespace">null: every namespace.</param>
    public async Task<ClusterSnapshot> CollectAsync(string? @namespace, CancellationToken cancellationToken)
    {
        var pods = await List(KubeResources.Pods, @namespace, cancellationToken).ConfigureAwait(false);
        var workers = pods.Where(p => p.Metadata.Labels?.GetValueOrDefault(Annotations.AppLabel) == Annotations.AppLabelValue).ToList();
        return new ClusterSnapshot
        {
            TakenAt = client.TimeProvider.GetUtcNow(),
            DataVolumes = await List(CdiResources.DataVolumes, @namespace, cancellationToken).ConfigureAwait(false),
            Claims = await List(KubeResources.PersistentVolumeClaims, @namespace, cancellationToken).ConfigureAwait(false),
            Pods = pods,
            Events = await List(KubeResources.Events, @namespace, cancellationToken).ConfigureAwait(false),
            ResourceQuotas = await List(KubeResources.ResourceQuotas, @namespace, cancellationToken).ConfigureAwait(false),
            LimitRanges = await List(KubeResources.LimitRanges, @namespace, cancellationToken).ConfigureAwait(false),
            NetworkPolicies = await List(NetworkPolicies, @namespace, cancellationToken).ConfigureAwait(false),
            StorageClasses = await List(KubeResources.StorageClasses, null, cancellationToken).ConfigureAwait(false),
            PersistentVolumes = await List(KubeResources.PersistentVolumes, null, cancellationToken).ConfigureAwait(false),
            VolumeAttachments = await List(KubeResources.VolumeAttachments, null, cancellationToken).ConfigureAwait(false),
            Nodes = await List(KubeResources.Nodes, null, cancellationToken).ConfigureAwait(false),
            CdiConfig = await Get(CdiResources.CdiConfigs, CdiConfig.SingletonName, null, cancellationToken).ConfigureAwait(false),
            LegacyInsecureRegistries = await Get(KubeResources.ConfigMaps, LegacyInsecureRegistries.Name, LegacyInsecureRegistries.Namespace, cancellationToken)
                .ConfigureAwait(false),
            ServerVersion = await ServerVersionAsync(cancellationToken).ConfigureAwait(false),
            WorkerLogs = await LogsAsync(workers, cancellationToken).ConfigureAwait(false),
            Unreadable = _unreadable,
        };
    }

    private async Task<List<T>> List<T>(ResourceType<T> type, string? @namespace, CancellationToken cancellationToken) where T : class
    {
        var all = new List<T>();
        try
        {
            await foreach (var page in client.ListPagesAsync(type, @namespace, null, cancellationToken).ConfigureAwait(false))
            {
                all.AddRange(page.Items);
            }
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // Not served by this cluster (no NetworkPolicy API, say): there are none to find.
        }
        catch (KubeApiException e) when (e.Code is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized or HttpStatusCode.MethodNotAllowed)
        {
            _unreadable.Add($"{type.Descriptor.Plural} ({(int?)e.Code} {e.Reason})");
        }
        return all;
    }

    private async Task<T?> Get<T>(ResourceType<T> type, string name, string? @namespace, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return await client.TryGetAsync(type, name, @namespace, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            _unreadable.Add($"{type.Descriptor.Plural}/{name} ({(int?)e.Code} {e.Reason})");
            return null;
        }
    }

    private async Task<string?> ServerVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.SendRawAsync(HttpMethod.Get, "version", null, false, cancellationToken).ConfigureAwait(false);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            return doc.RootElement.TryGetProperty("gitVersion", out var v) ? v.GetString() : null;
        }
        catch (Exception e) when (e is KubeApiException or JsonException)
        {
            _unreadable.Add("version");
            return null;
        }
    }

    private async Task<Dictionary<string, string>> LogsAsync(List<Pod> workers, CancellationToken cancellationToken)
    {
        var logs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pod in workers)
        {
            try
            {
                var log = await client.GetPodLogsAsync(pod.Metadata.Namespace!, pod.Metadata.Name!, new PodLogOptions { TailLines = LogTailLines }, cancellationToken)
                    .ConfigureAwait(false);
                // Progress lines say nothing about a failure; warnings and errors do.
                var kept = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("{\"phase\"", StringComparison.Ordinal))
                    .TakeLast(LogKeptLines).ToList();
                if (kept.Count > 0) logs[$"{pod.Metadata.Namespace}/{pod.Metadata.Name}"] = string.Join('\n', kept) + "\n";
            }
            catch (KubeApiException)
            {
                // A pod that has not started has no log yet; its status and events say what is wrong.
            }
        }
        return logs;
    }
}
