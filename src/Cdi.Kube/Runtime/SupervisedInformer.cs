using Cdi.Kube.Informers;

namespace Cdi.Kube.Runtime;

/// <summary>An informer plus what its supervisor saw: deaths of its loop, and whether it is down right now.</summary>
internal sealed class SupervisedInformer(IInformer informer, bool start)
{
    private readonly Lock _gate = new();
    private int _restarts;
    private bool _down;
    private string? _lastDeath;
    private DateTimeOffset? _lastDeathAt;

    public IInformer Informer { get; } = informer;

    /// <summary>False for an informer another controller runs: this one only waits for it and reports it.</summary>
    public bool Start { get; } = start;

    public void Died(Exception e, DateTimeOffset at)
    {
        lock (_gate)
        {
            _down = true;
            _lastDeath = $"{e.GetType().Name}: {e.Message}";
            _lastDeathAt = at;
        }
    }

    public void Restarted()
    {
        lock (_gate)
        {
            _down = false;
            _restarts++;
        }
    }

    public InformerHealth Health()
    {
        var status = Informer.Status;
        lock (_gate)
        {
            var deathIsLatest = _lastDeathAt is { } d && (status.LastErrorAt is null || d >= status.LastErrorAt);
            return new InformerHealth(Informer.Resource, Informer.HasSynced, _down || status.Failing, _restarts,
                deathIsLatest ? _lastDeath : status.LastError, deathIsLatest ? _lastDeathAt : status.LastErrorAt);
        }
    }
}
