using System.Text.Json;
using System.Text.Json.Serialization;
using Cdi.Kube.Models;

namespace Cdi.Api.Config;

public sealed record CdiConfigStatus
{
    public string? ScratchSpaceStorageClass { get; set; }
    public ResourceRequirements? DefaultPodResourceRequirements { get; set; }
    public FilesystemOverhead? FilesystemOverhead { get; set; }
    public bool? Preallocation { get; set; }

    /// <summary>Where clients upload (virtctl reads it): <c>spec.uploadProxyURLOverride</c> if set, else the proxy cdi knows.</summary>
    [JsonPropertyName("uploadProxyURL")]
    public string? UploadProxyUrl { get; set; }

    public List<LocalObjectReference>? ImagePullSecrets { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
