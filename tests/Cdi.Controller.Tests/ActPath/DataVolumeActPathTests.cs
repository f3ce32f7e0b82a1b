using System.Text.Json;
using Cdi.Api;
using Cdi.Api.Contracts;
using Cdi.Api.DataVolumes;
using Cdi.Controller.DataVolumes;
using Cdi.Controller.Settings;
using Cdi.Kube.Events;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;
using Cdi.Kube.Runtime;

namespace Cdi.Controller.Tests.ActPath;

/// <summary>
/// The DataVolume reconciler's writes against a real API server, with the caches under the test's hand: stale views
/// (an old pod list, an old status) never make a second importer pod nor lose or double-count a restart; every write
/// made from a stale view is refused (409) and the next pass from a fresh view converges; a refused pod create leaves
/// no condition or event behind once a pod is accepted.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class DataVolumeActPathTests(ApiServerFixture server)
{
    private static readonly ControllerOptions Options = new("cdi.local/cdi:latest");
    private KubeClient Client => server.Client;

    private DataVolumeReconciler NewReconciler(CacheView view) =>
        new(Client, view.Caches, new EventRecorder(Client, "datavolume-controller"), Options, new Expectations(TimeProvider.System));

    /// <summary>A fresh view, with CDIConfig's status in place (the DataVolume controller waits for it).</summary>
    private async Task<CacheView> ViewAsync()
    {
        var view = new CacheView(Client);
        var settings = new ClusterSettingsReconciler(Client, view.Caches, Options);
        for (var pass = 0; pass < 3; pass++)
        {
            await view.SyncAsync();
            await settings.ReconcileAsync(ClusterSettingsReconciler.Key, CancellationToken.None);
        }
        await view.SyncAsync();
        view.Caches.CdiConfig!.Status.Should().NotBeNull();
        return view;
    }

    private async Task<DataVolumeKey> CreateDataVolumeAsync(string ns, string size = "1Gi")
    {
        var dv = new DataVolume
        {
            Metadata = new ObjectMeta { Name = "dv1", Namespace = ns },
            Spec = new DataVolumeSpec
            {
                Source = new DataVolumeSource { Http = new HttpDataSource { Url = "http://example.com/disk.img" } },
                Storage = new PersistentVolumeClaimSpec { Resources = new VolumeResourceRequirements { Requests = new() { ["storage"] = size } } },
            },
        };
        await Client.CreateAsync(CdiResources.DataVolumes, dv, ns);
        return new DataVolumeKey(ns, "dv1");
    }

    /// <summary>Plays the binder: the claim is Bound.</summary>
    private async Task BindAsync(DataVolumeKey key)
    {
        var claim = await Client.GetAsync(KubeResources.PersistentVolumeClaims, key.Name, key.Namespace);
        await Client.UpdateStatusAsync(KubeResources.PersistentVolumeClaims, claim with { Status = new PersistentVolumeClaimStatus { Phase = "Bound" } });
    }

    /// <summary>Plays the kubelet: the importer ended with a retryable failure ten minutes ago (its backoff is over).</summary>
    private async Task FailPodAsync(DataVolumeKey key)
    {
        var pod = await Client.GetAsync(KubeResources.Pods, "importer-" + key.Name, key.Namespace);
        var result = new ImporterResult { Version = ImporterSpec.CurrentVersion, Succeeded = false, Reason = ImporterFailureReason.SourceUnavailable, Message = "cannot reach host", Retryable = true };
        await Client.UpdateStatusAsync(KubeResources.Pods, pod with
        {
            Status = new PodStatus
            {
                Phase = "Failed",
                ContainerStatuses =
                [
                    new ContainerStatus
                    {
                        Name = "importer",
                        State = new ContainerState
                        {
                            Terminated = new ContainerStateTerminated
                            {
                                ExitCode = 4, FinishedAt = DateTimeOffset.UtcNow.AddMinutes(-10),
                                Message = JsonSerializer.Serialize(result, ApiJsonContext.Default.ImporterResult),
                            },
                        },
                    },
                ],
            },
        });
    }

    private async Task<List<Pod>> PodsAsync(string ns) =>
        (await Client.ListAsync(KubeResources.Pods, ns)).Items.Where(p => p.Metadata.DeletionTimestamp is null).ToList();

    private async Task<int> EventsAsync(string ns, string reason) =>
        (await Client.ListAsync(KubeResources.Events, ns)).Items.Count(e => e.Reason == reason);

    private Task<DataVolume> DataVolumeAsync(DataVolumeKey key) => Client.GetAsync(CdiResources.DataVolumes, key.Name, key.Namespace);

    /// <summary>Creates the claim, binds it, creates the importer pod: returns the view as it was just before the pod's create.</summary>
    private async Task<(CacheView View, DataVolumeReconciler Reconciler)> StartImportAsync(DataVolumeKey key)
    {
        var view = await ViewAsync();
        var reconciler = NewReconciler(view);
        await reconciler.ReconcileAsync(key, CancellationToken.None);
        await BindAsync(key);
        await view.SyncAsync();
        await reconciler.ReconcileAsync(key, CancellationToken.None);
        (await PodsAsync(key.Namespace)).Should().ContainSingle();
        return (view, reconciler);
    }

    [Fact]
    public async Task Bound_claim_is_PVCBound_until_the_importer_pod_is_seen()
    {
        var ns = await server.NewNamespaceAsync();
        var key = await CreateDataVolumeAsync(ns);
        var (view, reconciler) = await StartImportAsync(key);
        (await DataVolumeAsync(key)).Status!.Phase.Should().Be(DataVolumePhase.PvcBound);
        await view.SyncAsync();
        await reconciler.ReconcileAsync(key, CancellationToken.None);
        (await DataVolumeAsync(key)).Status!.Phase.Should().Be(DataVolumePhase.ImportScheduled, "the pod exists and has not started");
        (await EventsAsync(ns, "ImportScheduled")).Should().Be(1);
    }

    [Fact]
    public async Task A_stale_pod_list_never_creates_a_second_importer_pod()
    {
        var ns = await server.NewNamespaceAsync();
        var key = await CreateDataVolumeAsync(ns);
        var (view, reconciler) = await StartImportAsync(key);
        var pod = (await PodsAsync(ns)).Single();

        // The cache has not seen the pod yet (the view is still the one before the create).
        var held = await reconciler.ReconcileAsync(key, CancellationToken.None);
        held.RequeueAfter.Should().NotBeNull("the create is expected but not yet observed: nothing is decided from its absence");

        // A restarted controller has no expectations; its stale view still lacks the pod.
        var restarted = NewReconciler(view);
        var result = await restarted.ReconcileAsync(key, CancellationToken.None);
        result.Requeue.Should().BeTrue("the name is taken: the view is stale, so look again later");
        var pods = await PodsAsync(ns);
        pods.Should().ContainSingle().Which.Metadata.Uid.Should().Be(pod.Metadata.Uid);
        (await EventsAsync(ns, "ImportScheduled")).Should().Be(1, "no second schedule was reported");
        (await DataVolumeAsync(key)).Status!.Phase.Should().Be(DataVolumePhase.PvcBound, "the stale pass wrote nothing");
    }

    [Fact]
    public async Task Stale_pods_and_statuses_never_lose_or_double_count_a_restart()
    {
        var ns = await server.NewNamespaceAsync();
        var key = await CreateDataVolumeAsync(ns);
        var (view, reconciler) = await StartImportAsync(key);
        await FailPodAsync(key);
        await view.SyncAsync();
        var staleDv = view.Caches.DataVolumes.Store.Get(ns, "dv1")!;
        var failedPod = view.Caches.Pods.Store.Get(ns, "importer-dv1")!;

        await reconciler.ReconcileAsync(key, CancellationToken.None);
        (await DataVolumeAsync(key)).Status!.RestartCount.Should().Be(1, "the count is written before the pod goes");
        (await PodsAsync(ns)).Should().BeEmpty();

        await view.SyncAsync();
        await reconciler.ReconcileAsync(key, CancellationToken.None);
        var retry = (await PodsAsync(ns)).Should().ContainSingle().Subject;
        retry.Metadata.Uid.Should().NotBe(failedPod.Metadata.Uid);
        retry.Metadata.Annotations![Annotations.AttemptAnnotation].Should().Be("1");

        // A restarted controller whose view is old throughout: the failed pod, the status before the count.
        var restarted = NewReconciler(view);
        CacheView.Show(view.Caches.DataVolumes, staleDv);
        CacheView.Show(view.Caches.Pods, failedPod);
        var write = () => restarted.ReconcileAsync(key, CancellationToken.None);
        (await write.Should().ThrowAsync<KubeApiException>()).Which.IsConflict.Should().BeTrue("a status from a stale read is refused, and the runtime requeues");

        // The status is fresh but the pod list still shows the failed pod: it was counted (attempt 0 < restartCount 1).
        CacheView.Show(view.Caches.DataVolumes, await DataVolumeAsync(key));
        await restarted.ReconcileAsync(key, CancellationToken.None);

        var dv = await DataVolumeAsync(key);
        dv.Status!.RestartCount.Should().Be(1, "neither stale pass counted the failed pod again");
        (await PodsAsync(ns)).Should().ContainSingle().Which.Metadata.Uid.Should().Be(retry.Metadata.Uid,
            "the delete named the failed pod's UID, so the retry of the same name survived");
        (await EventsAsync(ns, "ErrImportFailed")).Should().Be(1);

        // And from a fresh view, it converges: the retry runs.
        await view.SyncAsync();
        await restarted.ReconcileAsync(key, CancellationToken.None);
        (await DataVolumeAsync(key)).Status!.RestartCount.Should().Be(1);
        (await PodsAsync(ns)).Should().ContainSingle().Which.Metadata.Uid.Should().Be(retry.Metadata.Uid);
    }

    [Fact]
    public async Task After_writing_Succeeded_a_pass_that_still_sees_the_old_status_starts_no_second_import()
    {
        var ns = await server.NewNamespaceAsync();
        var key = await CreateDataVolumeAsync(ns);
        var (view, reconciler) = await StartImportAsync(key);
        var pod = await Client.GetAsync(KubeResources.Pods, "importer-" + key.Name, ns);
        var ok = new ImporterResult { Version = ImporterResult.CurrentVersion, Succeeded = true, Message = "Import Complete" };
        await Client.UpdateStatusAsync(KubeResources.Pods, pod with
        {
            Status = new PodStatus
            {
                Phase = "Succeeded",
                ContainerStatuses = [new ContainerStatus { Name = "importer", State = new ContainerState { Terminated = new ContainerStateTerminated
                {
                    ExitCode = 0, FinishedAt = DateTimeOffset.UtcNow, Message = JsonSerializer.Serialize(ok, ApiJsonContext.Default.ImporterResult),
                } } }],
            },
        });
        await view.SyncAsync();
        var before = view.Caches.DataVolumes.Store.Get(ns, "dv1")!;
        await reconciler.ReconcileAsync(key, CancellationToken.None);
        (await DataVolumeAsync(key)).Status!.Phase.Should().Be(DataVolumePhase.Succeeded);
        (await PodsAsync(ns)).Should().BeEmpty("the finished importer pod is deleted");

        // The pod watch has delivered the delete, the DataVolume watch not yet the Succeeded status (after an API
        // server restart, watches resume at different moments).
        await view.SyncAsync();
        CacheView.Show(view.Caches.DataVolumes, before);
        var held = await reconciler.ReconcileAsync(key, CancellationToken.None);
        held.RequeueAfter.Should().NotBeNull("our own status write is not in the cache yet: nothing is decided from the status before it");
        (await PodsAsync(ns)).Should().BeEmpty("a finished import never runs again");

        await view.SyncAsync();
        await reconciler.ReconcileAsync(key, CancellationToken.None);
        (await PodsAsync(ns)).Should().BeEmpty();
        (await DataVolumeAsync(key)).Status!.Phase.Should().Be(DataVolumePhase.Succeeded);
    }

    [Fact]
    public async Task A_status_write_from_a_stale_datavolume_is_refused_and_the_next_pass_converges()
    {
        var ns = await server.NewNamespaceAsync();
        var key = await CreateDataVolumeAsync(ns);
        var view = await ViewAsync();
        var reconciler = NewReconciler(view);
        // Someone else writes the DataVolume after the cache saw it.
        var current = await DataVolumeAsync(key);
        await Client.UpdateAsync(CdiResources.DataVolumes, current with { Metadata = current.Metadata with { Labels = new() { ["touched"] = "yes" } } });

        var pass = () => reconciler.ReconcileAsync(key, CancellationToken.None);
        (await pass.Should().ThrowAsync<KubeApiException>()).Which.IsConflict.Should().BeTrue();
        (await DataVolumeAsync(key)).Status.Should().BeNull("nothing was PUT from the stale object");

        await view.SyncAsync();
        await reconciler.ReconcileAsync(key, CancellationToken.None);
        var dv = await DataVolumeAsync(key);
        dv.Status!.Phase.Should().Be(DataVolumePhase.Pending);
        dv.Metadata.Labels.Should().ContainKey("touched", "the other writer's change is kept");
        (await Client.ListAsync(KubeResources.PersistentVolumeClaims, ns)).Items.Should().ContainSingle("the claim is created once");
    }

    [Fact]
    public async Task A_refused_then_accepted_pod_create_leaves_no_stale_condition_or_event()
    {
        var ns = await server.NewNamespaceAsync();
        await Client.CreateAsync(KubeResources.ResourceQuotas, new ResourceQuota
        {
            Metadata = new ObjectMeta { Name = "no-pods", Namespace = ns },
            Spec = new ResourceQuotaSpec { Hard = new() { ["pods"] = "0" } },
        }, ns);
        var key = await CreateDataVolumeAsync(ns);
        var view = await ViewAsync();
        var reconciler = NewReconciler(view);
        await reconciler.ReconcileAsync(key, CancellationToken.None);
        await BindAsync(key);

        for (var pass = 0; pass < 3; pass++)
        {
            await view.SyncAsync();
            (await reconciler.ReconcileAsync(key, CancellationToken.None)).Requeue.Should().BeTrue("a refused create is retried with backoff");
        }
        var refused = await DataVolumeAsync(key);
        var running = refused.Status!.Conditions!.Single(c => c.Type == "Running");
        running.Reason.Should().Be("ErrExceededQuota");
        running.Message.Should().Contain("exceeded quota");
        (await EventsAsync(ns, "ErrExceededQuota")).Should().Be(1, "one Warning when the condition first appears");

        await Client.DeleteAsync(KubeResources.ResourceQuotas, "no-pods", ns);
        await view.SyncAsync();
        await reconciler.ReconcileAsync(key, CancellationToken.None);
        (await PodsAsync(ns)).Should().ContainSingle();
        for (var pass = 0; pass < 2; pass++)
        {
            await view.SyncAsync();
            await reconciler.ReconcileAsync(key, CancellationToken.None);
        }
        var accepted = await DataVolumeAsync(key);
        accepted.Status!.Phase.Should().Be(DataVolumePhase.ImportScheduled);
        accepted.Status.Conditions!.Should().NotContain(c => c.Message!.Contains("quota") || c.Reason == "ErrExceededQuota");
        (await EventsAsync(ns, "ErrExceededQuota")).Should().Be(1, "nothing replayed the old refusal");
        (await EventsAsync(ns, "ImportScheduled")).Should().Be(1);
    }

    [Fact]
    public async Task A_spec_the_decider_cannot_read_fails_the_datavolume_with_a_status_and_an_event()
    {
        var ns = await server.NewNamespaceAsync();
        // Admission refuses malformed sizes ("1Gb") now; one it admits but no volume can have still reaches the decider.
        var key = await CreateDataVolumeAsync(ns, size: "16Ei");
        var view = await ViewAsync();
        var reconciler = NewReconciler(view);
        var pass = () => reconciler.ReconcileAsync(key, CancellationToken.None);
        var failure = (await pass.Should().ThrowAsync<TerminalReconcileException>()).Which;
        failure.Reason.Should().Be("ErrInvalidSpec");

        await reconciler.RecordTerminalAsync(key, failure, CancellationToken.None);
        var dv = await DataVolumeAsync(key);
        dv.Status!.Phase.Should().Be(DataVolumePhase.Failed);
        dv.Status.Conditions!.Single(c => c.Type == "Ready").Message.Should().Contain("16Ei");
        (await EventsAsync(ns, "ImportFailed")).Should().Be(1);

        await view.SyncAsync();
        (await reconciler.ReconcileAsync(key, CancellationToken.None)).Should().Be(ReconcileResult.Done, "a failed DataVolume is settled");
        await reconciler.RecordTerminalAsync(key, failure, CancellationToken.None);
        (await EventsAsync(ns, "ImportFailed")).Should().Be(1, "recording it again changes nothing");
    }
}
