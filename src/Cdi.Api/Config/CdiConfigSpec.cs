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
    public List<string>? InsecureRegistries { get; set; }

    /// <summary>CIDRs importers may reach although private or loopback (cdi's SSRF guard).</summary>
    public List<string>? AllowedNetworks { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
