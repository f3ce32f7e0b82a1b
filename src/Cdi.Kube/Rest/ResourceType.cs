using System.Text.Json.Serialization.Metadata;
using Cdi.Kube.Models;

namespace Cdi.Kube.Rest;

/// <summary>A resource and the serializer metadata for its object and list types: what every typed op takes.</summary>
public sealed record ResourceType<T>(ResourceDescriptor Descriptor, JsonTypeInfo<T> TypeInfo, JsonTypeInfo<KubeList<T>> ListTypeInfo)
    where T : class;
