using System.Text.Json.Serialization;
using Cdi.Api.Contracts;
using Cdi.Api.DataVolumes;
using Cdi.Kube.Models;

namespace Cdi.Api;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(KubeTimeConverter)])]
[JsonSerializable(typeof(DataVolume))]
[JsonSerializable(typeof(KubeList<DataVolume>))]
[JsonSerializable(typeof(ImporterSpec))]
[JsonSerializable(typeof(ImporterResult))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
