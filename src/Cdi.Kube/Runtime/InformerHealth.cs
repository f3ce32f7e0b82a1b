namespace Cdi.Kube.Runtime;

/// <summary>One informer as the controller sees it.</summary>
/// <param name="Restarts">How often its loop died and was restarted by the controller.</param>
/// <param name="Failing">Its last list or watch failed, or its loop died and waits to restart.</param>
/// <param name="LastError">The most recent failure, kept after recovery for diagnosis.</param>
public sealed record InformerHealth(string Resource, bool Synced, bool Failing, int Restarts, string? LastError, DateTimeOffset? LastErrorAt);
