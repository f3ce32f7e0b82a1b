namespace Cdi.Kube.Runtime;

/// <summary>How a <see cref="Controller{TKey}"/> runs.</summary>
/// <param name="Name">Names the controller in logs and health.</param>
public sealed record ControllerSettings(string Name)
{
    /// <summary>Keys reconciled at once (never the same key twice at once).</summary>
    public int Workers { get; init; } = 4;

    /// <summary>First wait before restarting an informer whose loop died; doubles per death, up to <see cref="MaxInformerRestartDelay"/>.</summary>
    public TimeSpan InformerRestartDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxInformerRestartDelay { get; init; } = TimeSpan.FromSeconds(30);
}
