using k8s;
using k8s.Models;

namespace Cdi.Bench.KubeClient;

/// <summary>The workload through KubernetesClient: generated CoreV1 operations and <see cref="OfficialInformer"/>.</summary>
internal sealed class OfficialRun(string kubeconfig) : IClientRun
{
    private readonly Kubernetes _client = new(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));

    public string Name => "official";

    public Task CreateNamespaceAsync(string ns, CancellationToken cancellationToken) =>
        _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: cancellationToken);

    public async Task<Task> StartInformerAsync(string ns, int expected, CancellationToken cancellationToken)
    {
        var informer = new OfficialInformer(_client, ns);
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
        _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = ConfigMapContent.Name(index),
                NamespaceProperty = ns,
                Labels = ConfigMapContent.Labels(),
                Annotations = ConfigMapContent.Annotations(index),
            },
            Data = ConfigMapContent.Data(index),
        }, ns, cancellationToken: cancellationToken);

    public async Task<int> ListConfigMapsAsync(string ns, CancellationToken cancellationToken) =>
        (await _client.CoreV1.ListNamespacedConfigMapAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false)).Items.Count;

    public Task DeleteNamespaceAsync(string ns, CancellationToken cancellationToken) =>
        _client.CoreV1.DeleteNamespaceAsync(ns, cancellationToken: cancellationToken);

    public void Dispose() => _client.Dispose();
}
