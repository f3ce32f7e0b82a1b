using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cdi.Cluster.FileSafety;
using Cdi.Cluster.Hosting;
using Cdi.Kube.Config;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Cluster.Kubelet;

/// <summary>
/// The projected service-account volume a kubelet gives every pod: <c>token</c> (from a TokenRequest bound to the pod,
/// so deleting the pod revokes it), <c>ca.crt</c> (the cluster CA) and <c>namespace</c>, written to
/// DIR/pods/&lt;ns&gt;/&lt;name&gt;/serviceaccount/ (0700, token 0600) and mapped to
/// /var/run/secrets/kubernetes.io/serviceaccount by a CDI_MOUNT_ variable, as every volume is here. Skipped when the
/// pod or its service account sets <c>automountServiceAccountToken: false</c>.
/// </summary>
internal static class ServiceAccountProjection
{
    public const string ContainerPath = KubeConfigEnvironment.DefaultServiceAccountDirectory;

    private static readonly ResourceType<JsonObject> ServiceAccounts = KubeResources.Unstructured("", "v1", "serviceaccounts", true, "ServiceAccount");

    /// <summary>
    /// The host folder, or null when nothing is mounted. A missing service account is a
    /// <see cref="PodSetupException"/> (FailedMount): the pod waits, as it waits for a missing secret.
    /// </summary>
    public static async Task<string?> PrepareAsync(KubeClient client, ClusterContext context, Pod pod, NodePaths paths, CancellationToken cancellationToken)
    {
        if (pod.Spec?.AutomountServiceAccountToken == false)
        {
            return null;
        }
        var ns = pod.Metadata.Namespace ?? "default";
        var name = pod.Spec?.ServiceAccountName is { Length: > 0 } sa ? sa : "default";
        var account = await client.TryGetAsync(ServiceAccounts, name, ns, cancellationToken).ConfigureAwait(false)
            ?? throw new PodSetupException("FailedMount", $"serviceaccount \"{name}\" not found");
        if (pod.Spec?.AutomountServiceAccountToken is null && account["automountServiceAccountToken"] is JsonValue v && v.TryGetValue<bool>(out var mount) && !mount)
        {
            return null;
        }
        var token = await RequestTokenAsync(client, ns, name, pod, cancellationToken).ConfigureAwait(false);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["token"] = Encoding.UTF8.GetBytes(token),
            ["ca.crt"] = File.ReadAllBytes(Path.Combine(ClusterFiles.Pki(context.Directory), "ca.crt")),
            ["namespace"] = Encoding.UTF8.GetBytes(ns),
        };
        var dir = paths.PodDirectory(ns, pod.Metadata.Name!).Child("serviceaccount", "folder");
        return PodVolumes.Materialize(dir, files, null, $"serviceaccount \"{name}\"", OwnerOnly.Directory, OwnerOnly.File);
    }

    private static async Task<string> RequestTokenAsync(KubeClient client, string ns, string name, Pod pod, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["kind"] = "TokenRequest",
            ["spec"] = new JsonObject
            {
                // The longest the API server grants: processes here are not handed a refreshed token while they run.
                ["expirationSeconds"] = (long)ApiServer.TokenRequests.MaxLifetime.TotalSeconds,
                ["boundObjectRef"] = new JsonObject { ["kind"] = "Pod", ["apiVersion"] = "v1", ["name"] = pod.Metadata.Name, ["uid"] = pod.Metadata.Uid },
            },
        };
        using var body = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        try
        {
            using var response = await client.SendRawAsync(HttpMethod.Post,
                string.Create(CultureInfo.InvariantCulture, $"api/v1/namespaces/{Uri.EscapeDataString(ns)}/serviceaccounts/{Uri.EscapeDataString(name)}/token"),
                body, false, cancellationToken).ConfigureAwait(false);
            var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            return answer?["status"]?["token"]?.GetValue<string>() is { Length: > 0 } token
                ? token
                : throw new PodSetupException("FailedMount", $"the token request for serviceaccount \"{name}\" returned no token");
        }
        catch (KubeApiException e)
        {
            throw new PodSetupException("FailedMount", $"cannot get a token for serviceaccount \"{name}\": {e.Message.ReplaceLineEndings(" ")}");
        }
    }
}
