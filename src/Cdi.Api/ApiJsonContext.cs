using System.Text.Json.Serialization;
using Cdi.Api.Config;
using Cdi.Api.Contracts;
using Cdi.Api.DataVolumes;
using Cdi.Api.StorageProfiles;
using Cdi.Api.Upload;
using Cdi.Kube.Models;

namespace Cdi.Api;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(KubeTimeConverter)])]
[JsonSerializable(typeof(DataVolume))]
[JsonSerializable(typeof(KubeList<DataVolume>))]
[JsonSerializable(typeof(CdiConfig))]
[JsonSerializable(typeof(KubeList<CdiConfig>))]
[JsonSerializable(typeof(Operator.CdiInstance))]
[JsonSerializable(typeof(KubeList<Operator.CdiInstance>))]
[JsonSerializable(typeof(StorageProfile))]
[JsonSerializable(typeof(KubeList<StorageProfile>))]
[JsonSerializable(typeof(ImporterSpec))]
[JsonSerializable(typeof(ImporterResult))]
[JsonSerializable(typeof(ImportProgress))]
[JsonSerializable(typeof(UploadServerSpec))]
[JsonSerializable(typeof(CloneSourceSpec))]
[JsonSerializable(typeof(UploadTokenClaims))]
[JsonSerializable(typeof(UploadTokenRequest))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
