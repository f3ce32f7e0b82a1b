using System.Text.Json.Serialization;

namespace Cdi.Doctor.Findings;

/// <summary>
/// One diagnosis: a stable <see cref="Id"/> (part of the contract, see <see cref="FindingIds"/>), what it is about,
/// what was seen (quoted event, condition and log lines, object fields) and the fix (a command or manifest change).
/// </summary>
public sealed record Finding
{
    public required string Id { get; init; }
    public required Severity Severity { get; init; }

    [JsonPropertyName("object")]
    public required ObjectRef Object { get; init; }

    public required string Summary { get; init; }
    public IReadOnlyList<string> Evidence { get; init; } = [];
    public required string Remedy { get; init; }

    /// <summary>The DataVolume (namespace/name) the finding concerns, so <c>cdi doctor DV</c> can keep only its own; null for cluster-wide findings.</summary>
    public string? DataVolume { get; init; }
}
