namespace Cdi.Cluster.ApiServer;

/// <summary>The parts of a DeleteOptions body that change what a delete does.</summary>
internal sealed record DeleteOptions(string? PropagationPolicy, string? PreconditionUid, string? PreconditionResourceVersion, bool DryRun)
{
    public static DeleteOptions Default { get; } = new(null, null, null, false);
}
