using System.Text.Json;
using System.Text.Json.Serialization;
using Cdi.Kube.Models;

namespace Cdi.Api.Config;

public sealed record CdiConfigSpec
{
    public string? ScratchSpaceStorageClass { get; set; }
    public ResourceRequirements? PodResourceRequirements { get; set; }
    public FilesystemOverhead? FilesystemOverhead { get; set; }
    public bool? Preallocation { get; set; }

    /// <summary>The upload proxy URL to publish instead of the one cdi knows (an ingress, a route).</summary>
    [JsonPropertyName("uploadProxyURLOverride")]
    public string? UploadProxyUrlOverride { get; set; }
    public List<string>? InsecureRegistries { get; set; }

    /// <summary>cdi's addition: registry host → mirror (<c>host[:port][/prefix]</c>), tried before the registry, such as <c>docker.io: harbor.internal/proxy</c>.</summary>
    public Dictionary<string, string>? RegistryMirrors { get; set; }

    /// <summary>CIDRs importers may reach although the SSRF guard denies them (cloud metadata, or private ranges when denied).</summary>
    public List<string>? AllowedNetworks { get; set; }

    /// <summary>cdi's strict SSRF guard: importers may not reach private, loopback or link-local addresses (default false, as upstream).</summary>
    public bool? DenyPrivateNetworks { get; set; }

    public ImportProxy? ImportProxy { get; set; }

    /// <summary>Secrets worker pods pull the cdi image with (copied to the status, then onto every worker pod).</summary>
    public List<LocalObjectReference>? ImagePullSecrets { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
