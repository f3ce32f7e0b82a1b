using Cdi.Kube.Config;
using Cdi.Kube.Informers;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Bench.KubeClient;

/// <summary>The workload through Cdi.Kube: KubeClient for writes and lists, Informer&lt;T&gt; for the cache.</summary>
internal sealed class OursRun(string kubeconfig) : IClientRun
{
    private readonly Cdi.Kube.Rest.KubeClient _client = new(KubeConfigLoader.FromFile(kubeconfig));

    public string Name => "ours";

    public Task CreateNamespaceAsync(string ns, CancellationToken cancellationToken) =>
        _client.CreateAsync(KubeResources.Namespaces, new Namespace { Metadata = new ObjectMeta { Name = ns } }, null, cancellationToken);

    public async Task<Task> StartInformerAsync(string ns, int expected, CancellationToken cancellationToken)
    {
        var informer = new Informer<ConfigMap>(_client, KubeResources.ConfigMaps, ns);
        var full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        informer.Added += _ =>
        {
            if (informer.Store.Count >= expected) full.TrySetResult();
        };
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        return full.Task.ContinueWith(async _ =>
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await running.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            stop.Dispose();
        }, TaskScheduler.Default).Unwrap();
    }

    public Task CreateConfigMapAsync(string ns, int index, CancellationToken cancellationToken) =>
        _client.CreateAsync(KubeResources.ConfigMaps, new ConfigMap
        {
            Metadata = new ObjectMeta
            {
                Name = ConfigMapContent.Name(index),
                Namespace = ns,
                Labels = ConfigMapContent.Labels(),
                Annotations = ConfigMapContent.Annotations(index),
            },
            Data = ConfigMapContent.Data(index),
        }, null, cancellationToken);

    public async Task<int> ListConfigMapsAsync(string ns, CancellationToken cancellationToken) =>
        (await _client.ListAsync(KubeResources.ConfigMaps, ns, null, cancellationToken).ConfigureAwait(false)).Items.Count;

    public Task DeleteNamespaceAsync(string ns, CancellationToken cancellationToken) =>
        _client.DeleteAsync(KubeResources.Namespaces, ns, null, null, cancellationToken);

    public void Dispose() => _client.Dispose();
}
