namespace Cdi.Bench.KubeClient;

/// <summary>The same workload through one client: an informer on a fresh namespace, N creates, M full lists.</summary>
internal interface IClientRun : IDisposable
{
    string Name { get; }

    Task CreateNamespaceAsync(string ns, CancellationToken cancellationToken);

    /// <summary>Starts list + watch on the namespace; the task completes once <paramref name="expected"/> objects are cached.</summary>
    Task<Task> StartInformerAsync(string ns, int expected, CancellationToken cancellationToken);

    Task CreateConfigMapAsync(string ns, int index, CancellationToken cancellationToken);

    Task<int> ListConfigMapsAsync(string ns, CancellationToken cancellationToken);

    Task DeleteNamespaceAsync(string ns, CancellationToken cancellationToken);
}
