using System.Text.Json.Serialization;

namespace Cdi.Doctor.Snapshot;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DumpExtras))]
internal sealed partial class DumpJsonContext : JsonSerializerContext;
