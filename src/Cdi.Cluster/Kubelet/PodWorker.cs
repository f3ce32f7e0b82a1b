using System.Diagnostics;
using Cdi.Cluster.FileSafety;
using Cdi.Kube.Events;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;
using Cdi.Cluster.Provisioner;

namespace Cdi.Cluster.Kubelet;

/// <summary>
/// Runs one pod: waits for its claims, checks images, prepares volumes, runs and restarts its containers as local cdi
/// processes, and publishes pod status. Stopping it (pod deleted, cluster down) kills the process trees.
/// Resource requests and limits are recorded in the spec only: a local process is not confined to them.
/// </summary>
internal sealed class PodWorker : IAsyncDisposable
{
    private readonly KubeClient _client;
    private readonly ClusterContext _context;
    private readonly PodRunnerOptions _options;
    private readonly NodePaths _paths;
    private readonly Pod _pod;
    private readonly EventRecorder _events;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _publishGate = new(1, 1);
    private readonly Lock _gate = new();
    private readonly ContainerSlot[] _slots;
    private readonly PodStatusBuilder _status;
    private TaskCompletionSource _poke = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private (string Reason, string Message)? _unschedulable;
    private DateTimeOffset? _startTime;
    private Task _run = Task.CompletedTask;
    private string? _serviceAccountDirectory;

    public PodWorker(KubeClient client, ClusterContext context, PodRunnerOptions options, NodePaths paths, Pod pod, string podIP,
        IReadOnlyDictionary<string, ContainerStateTerminated>? interrupted = null)
    {
        PodIP = podIP;
        _status = new PodStatusBuilder(podIP);
        _client = client;
        _context = context;
        _options = options;
        _paths = paths;
        _pod = pod;
        _events = new EventRecorder(client, "kubelet");
        // After a node restart the pod's earlier restarts still count, as they would on a kubelet that restarted.
        var earlier = pod.Status?.ContainerStatuses ?? [];
        _slots = [.. (pod.Spec?.Containers ?? []).Select(c => new ContainerSlot(c)
        {
            RestartCount = earlier.FirstOrDefault(s => s.Name == c.Name)?.RestartCount ?? 0,
            Interrupted = interrupted?.GetValueOrDefault(c.Name) is { } ended
                ? ended with { StartedAt = earlier.FirstOrDefault(s => s.Name == c.Name)?.State?.Running?.StartedAt ?? ended.FinishedAt }
                : null,
        })];
    }

    public string Uid => _pod.Metadata.Uid ?? "";

    /// <summary>This pod's own loopback address, its <c>status.podIP</c>.</summary>
    public string PodIP { get; }
    private string Namespace => _pod.Metadata.Namespace ?? "default";
    private string Name => _pod.Metadata.Name ?? "";
    private TimeProvider Time => _client.TimeProvider;

    public void Start() => _run = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>The status as it would be published now; also for a pod whose status the API server cannot take.</summary>
    public PodStatus CurrentStatus()
    {
        lock (_gate) return _status.Build(_slots, _unschedulable, _startTime, Time.GetUtcNow());
    }

    /// <summary>Something it may be waiting for changed (a claim bound, a secret appeared): look again now.</summary>
    public void Poke()
    {
        TaskCompletionSource old;
        lock (_gate)
        {
            old = _poke;
            _poke = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        old.TrySetResult();
    }

    /// <summary>Stops the pod's processes (killing their trees) and waits for the worker to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected: the worker ends through its token.
        }
        _stop.Dispose();
        _publishGate.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (await ClaimProblemAsync(stop).ConfigureAwait(false) is { } problem)
            {
                lock (_gate) _unschedulable = problem;
                await PublishAsync(stop).ConfigureAwait(false);
                await WaitForChangeAsync(stop).ConfigureAwait(false);
            }
            lock (_gate)
            {
                _unschedulable = null;
                _startTime = Time.GetUtcNow();
            }
            await BindToNodeAsync(stop).ConfigureAwait(false);
            await _events.RecordAsync(_pod, EventRecorder.Normal, "Scheduled", $"Successfully assigned {Namespace}/{Name} to {_options.NodeName}", stop)
                .ConfigureAwait(false);

            var foreign = _slots.Where(s => !ImageNames.IsCdi(s.Container.Image, _context.CdiImage)).ToList();
            if (foreign.Count > 0)
            {
                await CannotPullAsync(foreign, stop).ConfigureAwait(false);
                return;
            }

            var volumes = await PrepareVolumesAsync(stop).ConfigureAwait(false);
            await Task.WhenAll(_slots.Select(s => SuperviseAsync(s, volumes, stop))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Pod deleted or node stopping.
        }
    }

    /// <summary>Null when every claim the pod uses is bound; else why it cannot be scheduled yet.</summary>
    private async Task<(string, string)?> ClaimProblemAsync(CancellationToken stop)
    {
        foreach (var volume in _pod.Spec?.Volumes ?? [])
        {
            if (volume.PersistentVolumeClaim is not { } source) continue;
            var claim = await _client.TryGetAsync(KubeResources.PersistentVolumeClaims, source.ClaimName, Namespace, stop).ConfigureAwait(false);
            if (claim is null) return ("Unschedulable", $"persistentvolumeclaim \"{source.ClaimName}\" not found");
            if (claim.Metadata.DeletionTimestamp is not null) return ("Unschedulable", $"persistentvolumeclaim \"{source.ClaimName}\" is being deleted");
            if (claim.Status?.Phase == "Bound") continue;
            if (await IsWaitForFirstConsumerAsync(claim, stop).ConfigureAwait(false))
            {
                await SelectNodeAsync(claim, stop).ConfigureAwait(false);
                return ("Unschedulable", $"waiting for persistentvolumeclaim \"{source.ClaimName}\" to be bound to this node");
            }
            return ("Unschedulable", "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims.");
        }
        return null;
    }

    private async Task<bool> IsWaitForFirstConsumerAsync(PersistentVolumeClaim claim, CancellationToken stop)
    {
        var className = claim.Spec?.StorageClassName;
        if (string.IsNullOrEmpty(className)) return false;
        var storageClass = await _client.TryGetAsync(KubeResources.StorageClasses, className, null, stop).ConfigureAwait(false);
        return storageClass?.VolumeBindingMode == ProvisionerNames.WaitForFirstConsumer;
    }

    // The scheduler's half of WaitForFirstConsumer: tell the provisioner which node the consumer landed on.
    private async Task SelectNodeAsync(PersistentVolumeClaim claim, CancellationToken stop)
    {
        if (claim.Metadata.Annotations?.ContainsKey(ProvisionerNames.SelectedNodeAnnotation) == true) return;
        var annotations = new Dictionary<string, string>(claim.Metadata.Annotations ?? [])
        {
            [ProvisionerNames.SelectedNodeAnnotation] = _options.NodeName,
        };
        try
        {
            await _client.UpdateAsync(KubeResources.PersistentVolumeClaims, claim with { Metadata = claim.Metadata with { Annotations = annotations } },
                stop).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsConflict || e.IsNotFound)
        {
            // Changed under us: the next look retries.
        }
    }

    private async Task BindToNodeAsync(CancellationToken stop)
    {
        if (!string.IsNullOrEmpty(_pod.Spec?.NodeName)) return;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = await _client.TryGetAsync(KubeResources.Pods, Name, Namespace, stop).ConfigureAwait(false);
            if (current?.Spec is null || !string.IsNullOrEmpty(current.Spec.NodeName)) return;
            try
            {
                await _client.UpdateAsync(KubeResources.Pods, current with { Spec = current.Spec with { NodeName = _options.NodeName } }, stop)
                    .ConfigureAwait(false);
                return;
            }
            catch (KubeApiException e) when (e.IsConflict)
            {
                // Retry with the newer object.
            }
            catch (KubeApiException)
            {
                return; // a server that keeps spec.nodeName immutable: the pod still runs here
            }
        }
    }

    private async Task CannotPullAsync(List<ContainerSlot> foreign, CancellationToken stop)
    {
        foreach (var reason in (string[])["ErrImagePull", "ImagePullBackOff"])
        {
            lock (_gate)
            {
                foreach (var slot in foreign)
                {
                    var message = reason == "ErrImagePull"
                        ? $"failed to pull image \"{slot.Container.Image}\": this node runs only the cdi image \"{_context.CdiImage}\""
                        : $"Back-off pulling image \"{slot.Container.Image}\": this node runs only the cdi image \"{_context.CdiImage}\"";
                    slot.State = new ContainerState { Waiting = new ContainerStateWaiting { Reason = reason, Message = message } };
                }
            }
            await PublishAsync(stop).ConfigureAwait(false);
            if (reason == "ErrImagePull")
            {
                foreach (var slot in foreign)
                {
                    await _events.RecordAsync(_pod, EventRecorder.Warning, "Failed", slot.State.Waiting!.Message!, stop).ConfigureAwait(false);
                }
                await Task.Delay(_options.ImagePullBackoff, Time, stop).ConfigureAwait(false);
            }
        }
        await Task.Delay(Timeout.InfiniteTimeSpan, Time, stop).ConfigureAwait(false);
    }

    private async Task<IReadOnlyDictionary<string, string>> PrepareVolumesAsync(CancellationToken stop)
    {
        while (true)
        {
            try
            {
                CreatePodDirectory();
                var volumes = await PodVolumes.PrepareAsync(_client, _pod, _paths, stop).ConfigureAwait(false);
                _serviceAccountDirectory = await ServiceAccountProjection.PrepareAsync(_client, _context, _pod, _paths, stop).ConfigureAwait(false);
                return volumes;
            }
            catch (PodSetupException e)
            {
                // A volume that cannot be mounted yet keeps the pod ContainerCreating, as the kubelet shows it; a name that
                // can never become a path is a configuration error.
                var waiting = e.Reason == "CreateContainerConfigError" ? e.Reason : "ContainerCreating";
                lock (_gate)
                {
                    foreach (var slot in _slots) slot.State = new ContainerState { Waiting = new ContainerStateWaiting { Reason = waiting, Message = e.Message } };
                }
                await _events.RecordAsync(_pod, EventRecorder.Warning, e.Reason, e.Message, stop).ConfigureAwait(false);
                await PublishAsync(stop).ConfigureAwait(false);
                await WaitForChangeAsync(stop).ConfigureAwait(false);
            }
        }
    }

    private void CreatePodDirectory()
    {
        try
        {
            _paths.PodDirectory(Namespace, Name).CreateDirectory(OwnerOnly.Directory);
        }
        catch (UnsafePathException e)
        {
            throw new PodSetupException("CreateContainerConfigError", e.Message);
        }
    }

    private async Task SuperviseAsync(ContainerSlot slot, IReadOnlyDictionary<string, string> volumes, CancellationToken stop)
    {
        var container = slot.Container;
        var backoffStep = 0;
        while (true)
        {
            ContainerStateTerminated? terminated;
            lock (_gate)
            {
                terminated = slot.Interrupted;
                slot.Interrupted = null;
            }
            terminated ??= await RunOnceAsync(slot, volumes, stop).ConfigureAwait(false);
            if (terminated is null) continue;

            var policy = _pod.Spec?.RestartPolicy ?? "Always";
            var restart = policy == "Always" || (policy == "OnFailure" && terminated.ExitCode != 0);
            if (!restart)
            {
                lock (_gate)
                {
                    slot.State = new ContainerState { Terminated = terminated };
                    slot.Final = true;
                }
                await PublishAsync(stop).ConfigureAwait(false);
                return;
            }
            // A container that ran well for long enough earns a fresh backoff, as the kubelet resets it.
            if (terminated.FinishedAt - terminated.StartedAt >= _options.BackoffResetAfter) backoffStep = 0;
            var delay = CrashLoopBackoff.Delay(++backoffStep, _options.InitialRestartBackoff, _options.MaxRestartBackoff);
            lock (_gate)
            {
                slot.LastState = new ContainerState { Terminated = terminated };
                slot.State = new ContainerState
                {
                    Waiting = new ContainerStateWaiting
                    {
                        Reason = "CrashLoopBackOff",
                        Message = $"back-off {(int)delay.TotalSeconds}s restarting failed container={container.Name} pod={Name}_{Namespace}({Uid})",
                    },
                };
            }
            await PublishAsync(stop).ConfigureAwait(false);
            await _events.RecordAsync(_pod, EventRecorder.Warning, "BackOff", "Back-off restarting failed container " + container.Name, stop)
                .ConfigureAwait(false);
            await Task.Delay(delay, Time, stop).ConfigureAwait(false);
            lock (_gate) slot.RestartCount++;
        }
    }

    /// <summary>One run of the container; null when it could not be set up yet (the caller looks again).</summary>
    private async Task<ContainerStateTerminated?> RunOnceAsync(ContainerSlot slot, IReadOnlyDictionary<string, string> volumes, CancellationToken stop)
    {
        var container = slot.Container;
        Dictionary<string, string> env;
        ContainedPath logFile, messageFile;
        try
        {
            logFile = _paths.LogFile(Namespace, Name, container.Name);
            messageFile = _paths.TerminationLogFile(Namespace, Name, container.Name);
            env = await ContainerEnvironment.BuildAsync(_client, _context, _pod, PodIP, container, volumes, messageFile.FullPath, _serviceAccountDirectory, stop).ConfigureAwait(false);
            // Emptied afresh (a link the last run left there is replaced, not followed); private like the log.
            using (messageFile.CreateFile(OwnerOnly.File))
            {
            }
        }
        catch (Exception e) when (e is PodSetupException or UnsafePathException)
        {
            var reason = e is PodSetupException setup ? setup.Reason : "CreateContainerConfigError";
            lock (_gate) slot.State = new ContainerState { Waiting = new ContainerStateWaiting { Reason = reason, Message = e.Message } };
            await PublishAsync(stop).ConfigureAwait(false);
            await WaitForChangeAsync(stop).ConfigureAwait(false);
            return null;
        }
        var started = Time.GetUtcNow();
        var arguments = ContainerCommand.ArgumentsFor(container.Command, container.Args, env);
        ContainerStateTerminated terminated;
        if (arguments is null)
        {
            terminated = new ContainerStateTerminated
            {
                ExitCode = 128, Reason = "StartError", StartedAt = started, FinishedAt = started,
                Message = $"exec: \"{container.Command![0]}\": this node runs only the cdi and cdi-worker binaries (command must be cdi, cdi-worker or a path ending in /cdi or /cdi-worker)",
            };
        }
        else
        {
            lock (_gate)
            {
                slot.ContainerId = $"cdi-local://{Uid}/{container.Name}/{slot.RestartCount}";
                slot.EverStarted = true;
                slot.State = new ContainerState { Running = new ContainerStateRunning { StartedAt = started } };
            }
            await PublishAsync(stop).ConfigureAwait(false);
            await _events.RecordAsync(_pod, EventRecorder.Normal, "Started", $"Started container {container.Name}", stop).ConfigureAwait(false);
            try
            {
                var exitCode = await ContainerProcess.RunAsync(StartInfo(Executable(container.Command), arguments, env), logFile,
                    _paths.PidFile(Namespace, Name, container.Name), Uid, _options.KillGracePeriod, Time, stop).ConfigureAwait(false);
                terminated = new ContainerStateTerminated
                {
                    ExitCode = exitCode,
                    Reason = exitCode == 0 ? "Completed" : "Error",
                    Message = TerminationMessage.Read(messageFile, logFile, container.TerminationMessagePolicy, exitCode,
                        _options.MaxTerminationMessageBytes, _options.FallbackLogLines),
                    StartedAt = started,
                    FinishedAt = Time.GetUtcNow(),
                    ContainerID = slot.ContainerId,
                };
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
            {
                // The cdi (or cdi-worker) binary is missing or not executable, or the pod folder is unusable: the container cannot start.
                terminated = new ContainerStateTerminated
                {
                    ExitCode = 128, Reason = "StartError", Message = e.Message, StartedAt = started, FinishedAt = Time.GetUtcNow(),
                };
            }
        }
        return terminated;
    }

    /// <summary>The binary a container runs: cdi-worker for worker pods (importer, upload server), cdi otherwise.</summary>
    private string Executable(IReadOnlyList<string>? command) =>
        ContainerCommand.RunsWorker(command) ? _context.WorkerExecutable : _context.CdiExecutable;

    private ProcessStartInfo StartInfo(string executable, IReadOnlyList<string> arguments, Dictionary<string, string> env)
    {
        // A framework-dependent build may hand us cdi.dll (or cdi-worker.dll) rather than the apphost: run it through dotnet then.
        var dll = executable.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var info = new ProcessStartInfo(dll ? "dotnet" : executable) { WorkingDirectory = _paths.PodDirectory(Namespace, Name).FullPath };
        if (dll)
        {
            info.ArgumentList.Add("exec");
            info.ArgumentList.Add(executable);
        }
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment.Clear();
        foreach (var (key, value) in env) info.Environment[key] = value;
        return info;
    }

    private async Task WaitForChangeAsync(CancellationToken stop)
    {
        Task poke;
        lock (_gate) poke = _poke.Task;
        await Task.WhenAny(poke, Task.Delay(_options.RecheckInterval, Time, stop)).ConfigureAwait(false);
        stop.ThrowIfCancellationRequested();
    }

    /// <summary>Writes the current status; one writer at a time, re-reading the pod on conflict.</summary>
    private async Task PublishAsync(CancellationToken stop)
    {
        await _publishGate.WaitAsync(stop).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; attempt < 5; attempt++)
            {
                var current = await _client.TryGetAsync(KubeResources.Pods, Name, Namespace, stop).ConfigureAwait(false);
                if (current is null || current.Metadata.Uid != Uid) return;
                var status = CurrentStatus();
                try
                {
                    await _client.UpdateStatusAsync(KubeResources.Pods, current with { Status = status }, stop).ConfigureAwait(false);
                    return;
                }
                catch (KubeApiException e) when (e.IsConflict)
                {
                    // Someone else wrote the pod meanwhile: re-read and write again.
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException || e is KubeApiException { IsNotFound: true })
        {
            // The next change publishes the full state again.
        }
        finally
        {
            _publishGate.Release();
        }
    }
}
