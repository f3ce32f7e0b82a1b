using System.Text.RegularExpressions;
using Cdi.Testing;
using Xunit.Abstractions;

namespace Cdi.Cli.Tests.Crash;

/// <summary>
/// One crash test's world: the images and nginx, a local cluster, a namespace, and the observers that check the
/// invariants at every change (watches on pods and DataVolumes, a process monitor) while faults are injected.
/// </summary>
internal sealed partial class CrashRig : IAsyncDisposable
{
    public static readonly TimeSpan ConvergeTimeout = TimeSpan.FromMinutes(3);

    private readonly ITestOutputHelper _output;
    private readonly bool _withController;
    private ResourceWatch? _podWatch;
    private ResourceWatch? _dvWatch;

    private CrashRig(ITestOutputHelper output, int seed, bool withController)
    {
        _output = output;
        _withController = withController;
        Images = new CrashImages(seed);
        try
        {
            Cluster = new LocalCluster(withController);
        }
        catch
        {
            Images.Dispose(); // nginx must not outlive a cluster that failed to start
            throw;
        }
        Namespace = Cluster.NewNamespace();
        if (!withController)
        {
            // A controller on its own denies importers private addresses; the administrator allows the image server's network.
            Cluster.Apply("apiVersion: cdi.kubevirt.io/v1beta1\nkind: CDIConfig\nmetadata:\n  name: config\nspec:\n  allowedNetworks: [\"127.0.0.0/8\"]\n");
        }
        Api = new ClusterApi(Cluster.Kubeconfig);
        Pods = new ImporterPodLedger(Namespace);
        DataVolumes = new DataVolumeLedger(Namespace);
    }

    public CrashImages Images { get; }
    public LocalCluster Cluster { get; }
    public string Namespace { get; }
    public ClusterApi Api { get; }
    public ImporterPodLedger Pods { get; }
    public DataVolumeLedger DataVolumes { get; }
    public ProcessCountMonitor? Processes { get; private set; }
    public string ControllerLog => Path.Combine(Cluster.Directory, "controller.log");

    public static async Task<CrashRig> StartAsync(ITestOutputHelper output, int seed, bool withController)
    {
        output.WriteLine($"seed {seed}");
        var rig = new CrashRig(output, seed, withController);
        try
        {
            rig._podWatch = new ResourceWatch(rig.Api, "/api/v1/pods", rig.Pods.OnEvent, rig.Pods.OnList);
            rig._dvWatch = new ResourceWatch(rig.Api, "/apis/cdi.kubevirt.io/v1beta1/datavolumes", rig.DataVolumes.OnEvent, rig.DataVolumes.OnList);
            await rig._podWatch.WaitListedAsync(TimeSpan.FromSeconds(30));
            await rig._dvWatch.WaitListedAsync(TimeSpan.FromSeconds(30));
            rig.Processes = new ProcessCountMonitor(rig.Cluster.Directory, rig.Namespace, rig.Pods);
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    public static string Name(int i) => $"dv{i}";

    public void Create(int i) => Cluster.Apply(Images.Manifest(Name(i), i), Namespace);

    public ControllerProcess StartController() => new(Cluster.Kubeconfig, ControllerLog);

    public void Log(string line) => _output.WriteLine(line);

    /// <summary>Waits (bounded) until every DataVolume in <paramref name="names"/> is Succeeded, as the watch sees them.</summary>
    /// <remarks>Also returns once each is Succeeded or Failed (both terminal): <see cref="AssertConverged"/> then says which failed and why.</remarks>
    public void WaitAllSucceeded(IReadOnlyCollection<string> names) =>
        LocalCluster.WaitUntil(() => names.All(n => DataVolumes.Get(n)?.Phase is "Succeeded" or "Failed"), ConvergeTimeout,
            () => $"all {names.Count} DataVolumes Succeeded; now:\n{DataVolumes.Table()}\n{ControllerTail()}");

    /// <summary>
    /// What must hold after any crash: no two importers for one DataVolume at any observed moment, Succeeded ones hold
    /// the source's bytes, each restart count equals the importer pods that really failed, and no import that succeeded
    /// was run again (importer pods created = 1 + failed + scratch requests).
    /// </summary>
    public void AssertConverged(IReadOnlyList<int> imports)
    {
        var problems = new List<string>();
        problems.AddRange(Pods.Violations);
        problems.AddRange(DataVolumes.Violations);
        problems.AddRange(Processes!.Violations);
        foreach (var i in imports)
        {
            var name = Name(i);
            var dv = DataVolumes.Get(name);
            if (dv?.Phase != "Succeeded")
            {
                problems.Add($"{name} is {dv?.Phase ?? "missing"} (restarts {dv?.RestartCount}): {dv?.Message}; importer pods: {Pods.Describe(name)}");
                continue;
            }
            if (Images.Compare(Path.Combine(Cluster.VolumePath(Namespace, name), "disk.img"), i) is { } diff)
            {
                problems.Add($"{name} is Succeeded with wrong bytes: {diff}");
            }
            var failed = Pods.Failed(name);
            if (dv.RestartCount != failed)
            {
                problems.Add($"{name}: status.restartCount {dv.RestartCount}, but {failed} importer pods failed ({Pods.Describe(name)})");
            }
            var (created, scratch) = Pods.Created(name);
            if (created != 1 + failed + scratch)
            {
                problems.Add($"{name}: {created} importer pods were created for {failed} failures and {scratch} scratch requests: " +
                    $"a finished import ran again ({Pods.Describe(name)})");
            }
        }
        Log($"observed: {Processes.Scans} process scans; DataVolumes:\n{DataVolumes.Table()}");
        problems.Should().BeEmpty($"the invariants hold after the faults (controller log: {ControllerTail()})");
    }

    public string ControllerTail() =>
        File.Exists(ControllerLog) ? string.Join('\n', File.ReadLines(ControllerLog).TakeLast(12)) : "";

    /// <summary><c>cdi cluster down</c>, then <c>up</c> on the same directory and port: the API server (and the node) restart.</summary>
    public void RestartCluster()
    {
        var port = ServerPort().Match(File.ReadAllText(Cluster.Kubeconfig)).Groups[1].Value;
        var down = ProcessRunner.Run(RepoPaths.CdiScript, ["cluster", "down", "--dir", Cluster.Directory], timeout: TimeSpan.FromMinutes(1));
        down.ExitCode.Should().Be(0, down.Stderr);
        List<string> up = ["cluster", "up", "--dir", Cluster.Directory, "--port", port, "--detach"];
        if (!_withController)
        {
            up.Add("--without-controller");
        }
        var started = ProcessRunner.Run(RepoPaths.CdiScript, up, timeout: TimeSpan.FromMinutes(2));
        started.ExitCode.Should().Be(0, started.Stdout + started.Stderr);
    }

    /// <summary>
    /// The cluster process SIGKILLed (a crash: no shutdown code runs, its children are orphaned), then <c>cdi cluster
    /// up</c> on the same directory and port.
    /// </summary>
    public void CrashAndRestartCluster()
    {
        var port = ServerPort().Match(File.ReadAllText(Cluster.Kubeconfig)).Groups[1].Value;
        var pid = int.Parse(File.ReadAllText(Path.Combine(Cluster.Directory, "cluster.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using (var cluster = System.Diagnostics.Process.GetProcessById(pid))
        {
            cluster.Kill(entireProcessTree: false);
            cluster.WaitForExit();
        }
        List<string> up = ["cluster", "up", "--dir", Cluster.Directory, "--port", port, "--detach"];
        if (!_withController)
        {
            up.Add("--without-controller");
        }
        var started = ProcessRunner.Run(RepoPaths.CdiScript, up, timeout: TimeSpan.FromMinutes(2));
        started.ExitCode.Should().Be(0, started.Stdout + started.Stderr);
    }

    [GeneratedRegex(@"server: https://127\.0\.0\.1:(\d+)")]
    private static partial Regex ServerPort();

    public async ValueTask DisposeAsync()
    {
        if (Processes is not null)
        {
            await Processes.DisposeAsync();
        }
        if (_podWatch is not null)
        {
            await _podWatch.DisposeAsync();
        }
        if (_dvWatch is not null)
        {
            await _dvWatch.DisposeAsync();
        }
        Api.Dispose();
        Cluster.Dispose();
        // Importers orphaned by a crashed cluster process are no child of the new one, which cannot stop them.
        foreach (var orphan in ImporterProcesses.Scan(Cluster.Directory, Namespace))
        {
            try
            {
                using var p = System.Diagnostics.Process.GetProcessById(orphan.Pid);
                p.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Gone already.
            }
        }
        Images.Dispose();
    }
}
