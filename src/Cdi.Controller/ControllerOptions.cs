using Cdi.Kube.Models;

namespace Cdi.Controller;

/// <summary>The controller's settings, bound once at startup (CDIConfig values override the defaults at reconcile time).</summary>
/// <param name="Image">The image importer pods run (the cdi binary).</param>
/// <param name="MaxRetries">Retryable importer failures retried this many times before the DataVolume fails.</param>
public sealed record ControllerOptions(string Image, int MaxRetries = 5)
{
    /// <summary>Upstream's default filesystem overhead.</summary>
    public decimal FilesystemOverhead { get; init; } = 0.06m;

    /// <summary>Importer pod resources: upstream's defaults, so a namespace whose quota demands limits accepts the pod.</summary>
    public ResourceRequirements PodResources { get; init; } = new()
    {
        Requests = new() { ["cpu"] = "100m", ["memory"] = "60M" },
        Limits = new() { ["cpu"] = "750m", ["memory"] = "600M" },
    };

    /// <summary>First retry delay; doubles per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>CIDRs importer pods may reach although private (their SSRF guard denies private networks otherwise).</summary>
    public IReadOnlyList<string> ImporterAllowedNetworks { get; init; } = [];

    /// <summary>The upload proxy's URL, published in CDIConfig's status unless <c>uploadProxyURLOverride</c> is set.</summary>
    public string? UploadProxyUrl { get; init; }

    /// <summary>PEM public key of the upload-token signer: upload pods verify tokens with it. Without it uploads fail clearly.</summary>
    public string? UploadTokenPublicKey { get; init; }

    /// <summary>
    /// PEM private key (ECDSA P-256) the controller signs clone-stream tokens with: a clone source pod shows one to the
    /// target's upload server, which checks it with the public half. Without it clones fail clearly.
    /// </summary>
    public string? CloneSigningKey { get; init; }
}
