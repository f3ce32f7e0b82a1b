using Cdi.Doctor.Findings;

namespace Cdi.Doctor.Workers;

/// <summary>
/// Why a pod's image does not pull, from the kubelet's message: Docker Hub's rate limit, GitHub's retired registry,
/// a public registry from a closed network; anything else is the plain pull failure (null for pods that are not workers).
/// </summary>
public static class ImagePullClassifier
{
    /// <summary>Registries a closed network cannot reach unless it mirrors them.</summary>
    private static readonly string[] PublicRegistries = ["docker.io", "registry-1.docker.io", "k8s.gcr.io", "registry.k8s.io", "gcr.io", "quay.io", "ghcr.io"];

    private static readonly string[] NetworkFailures = ["i/o timeout", "no route to host", "network is unreachable", "connection refused",
        "connection timed out", "no such host"];

    public sealed record Diagnosis(string Id, string Summary, string Remedy);

    public static Diagnosis? Classify(string image, string message, bool worker)
    {
        var host = RegistryHost.Of(image);
        if (message.Contains("toomanyrequests", StringComparison.OrdinalIgnoreCase) || message.Contains("rate limit", StringComparison.OrdinalIgnoreCase))
        {
            return new(FindingIds.ImagePullRateLimited, $"{host} rate-limits this node's anonymous pulls of {image} (toomanyrequests)",
                "pull with an account (kubectl create secret docker-registry hub --docker-username=USER --docker-password=TOKEN, "
                + "then imagePullSecrets: [{name: hub}] or patch the service account), give nodes their own public IP, or use a registry mirror");
        }
        if (host == "docker.pkg.github.com")
        {
            return new(FindingIds.RegistryMoved, $"{image} is on docker.pkg.github.com, which containerd cannot pull from (GitHub moved to ghcr.io)",
                $"use ghcr.io instead: {image.Replace("docker.pkg.github.com", "ghcr.io", StringComparison.Ordinal)} (the path may differ; see GitHub's migration guide)");
        }
        if (PublicRegistries.Contains(host) && NetworkFailures.Any(f => message.Contains(f, StringComparison.OrdinalIgnoreCase)))
        {
            return new(FindingIds.ImagePullClosedNetwork, $"the node cannot reach public registry {host} to pull {image} (closed network?)",
                $"pull it from your internal registry and retag it on the node (e.g. nerdctl pull MIRROR/{image.Split('/').Last()} && nerdctl tag … {image}), "
                + "or point the image at the mirror");
        }
        return worker
            ? new(FindingIds.WorkerImagePullFailed, $"the node cannot pull the worker image {image}",
                $"check the image exists and the node can pull it (crictl pull {image} on the node); fix the controller's --importer-image or push the image")
            : null;
    }
}
