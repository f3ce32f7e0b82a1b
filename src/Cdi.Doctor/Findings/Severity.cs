using System.Text.Json.Serialization;

namespace Cdi.Doctor.Findings;

/// <summary>How bad a finding is; only <see cref="Error"/> makes <c>cdi doctor</c> exit 1.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    [JsonStringEnumMemberName("error")]
    Error,

    [JsonStringEnumMemberName("warning")]
    Warning,

    [JsonStringEnumMemberName("info")]
    Info,
}
