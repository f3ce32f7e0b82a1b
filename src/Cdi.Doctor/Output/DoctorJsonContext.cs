using System.Text.Json.Serialization;
using Cdi.Doctor.Findings;

namespace Cdi.Doctor.Output;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(List<Finding>))]
public sealed partial class DoctorJsonContext : JsonSerializerContext;
