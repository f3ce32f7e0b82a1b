using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Api.Contracts;

/// <summary>Enum members by name only: a number on the wire is refused like an unknown name, not mapped to whatever member has that value.</summary>
public sealed class StrictStringEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(namingPolicy: null, allowIntegerValues: false)
    where TEnum : struct, Enum;
