using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Cdi.Bench.KubeClient.Startup;

/// <summary>The unstructured types a caller would add to KubernetesClient.Aot's options to send custom resources.</summary>
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class ProbeJsonContext : JsonSerializerContext;
