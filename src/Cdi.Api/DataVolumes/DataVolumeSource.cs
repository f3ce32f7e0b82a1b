using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Api.DataVolumes;

/// <summary>Exactly one member is set. Sources cdi does not import yet stay in <see cref="ExtensionData"/> and are reported as unsupported.</summary>
public sealed record DataVolumeSource
{
    public HttpDataSource? Http { get; set; }
    public S3DataSource? S3 { get; set; }
    public RegistryDataSource? Registry { get; set; }
    public PvcDataSource? Pvc { get; set; }
    public JsonElement? Upload { get; set; }
    public JsonElement? Blank { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
