namespace Cdi.Controller.Storage;

/// <summary>
/// A claim's access modes and volume mode once completed from its StorageProfile, or why they cannot be: upstream's
/// <c>ErrClaimNotValid</c>, with the condition's message (<see cref="Problem"/>) and the event's (<see cref="EventMessage"/>).
/// </summary>
public sealed record ClaimProperties
{
    public IReadOnlyList<string> AccessModes { get; init; } = [];

    /// <summary>Null leaves it to Kubernetes, which means Filesystem.</summary>
    public string? VolumeMode { get; init; }

    public string? Problem { get; init; }
    public string? EventMessage { get; init; }

    /// <summary>The class has no StorageProfile status yet (the settings controller writes it on its next pass): wait, say nothing.</summary>
    public bool ProfilePending { get; init; }

    public static ClaimProperties Invalid(string problem, string eventMessage) => new() { Problem = problem, EventMessage = eventMessage };
}
