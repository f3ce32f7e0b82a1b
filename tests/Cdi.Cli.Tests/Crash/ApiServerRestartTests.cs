using Cdi.Cli.Tests.DataVolumes;
using Cdi.Testing;
using Xunit.Abstractions;

namespace Cdi.Cli.Tests.Crash;

/// <summary>
/// The API server restarted mid-import. On the local cluster the API server, its store (DIR/cluster.db), the volume
/// provisioner and the node's pod runner are one process, so `cdi cluster down` then `up` on the same directory and
/// port restarts all of them: running importer processes end with the node and the node runs its pods again when it
/// is back. The controller runs as its own process and lives through it, as it would on a real cluster. What must
/// hold: its watches resume (a DataVolume created after the restart is served), nothing is lost or recreated, and
/// every import completes with its bytes, with no two importers for one DataVolume at any moment.
/// </summary>
[Collection(CrashCollection.Name)]
public sealed class ApiServerRestartTests(ITestOutputHelper output)
{
    private const int Seed = 1303;
    private const int Imports = 10;

    [Fact]
    public async Task Api_server_restarted_mid_import_watches_resume_nothing_is_lost_and_imports_complete()
    {
        await using var rig = await CrashRig.StartAsync(output, Seed, withController: false);
        using var controller = rig.StartController();
        for (var i = 0; i < Imports; i++)
        {
            rig.Create(i);
        }
        // Mid-import: importers running (as the node reports them; the controller's phases may lag a loaded machine).
        LocalCluster.WaitUntil(() => rig.Pods.Running >= 3, CrashRig.ConvergeTimeout,
            () => $"3 importers running; now:\n{rig.DataVolumes.Table()}");
        var before = Uids(rig);
        rig.Log($"restarting the cluster with {rig.DataVolumes.Count("ImportInProgress")} imports in progress, {rig.DataVolumes.Count("Succeeded")} Succeeded");

        rig.RestartCluster();
        controller.HasExited.Should().BeFalse("the controller outlives an API server restart");
        // Created after the restart: only a controller whose DataVolume watch resumed can serve it.
        rig.Cluster.Apply(DataVolumeManifests.Blank("after", "16Mi"), rig.Namespace);

        AssertEverythingSurvived(rig, before, "the restart");
        controller.HasExited.Should().BeFalse($"the controller kept running (log: {rig.ControllerTail()})");
    }

    /// <summary>
    /// The cluster process SIGKILLed mid-import (a crash, not `cluster down`), then started again: its importer
    /// processes are orphaned, not stopped. A node that restarts must not run a second importer beside one still
    /// running (a real kubelet finds its containers still there and adopts them), and every import still completes.
    /// </summary>
    [Fact]
    public async Task Cluster_process_killed_mid_import_never_runs_a_second_importer_and_imports_complete()
    {
        await using var rig = await CrashRig.StartAsync(output, Seed + 1, withController: false);
        using var controller = rig.StartController();
        for (var i = 0; i < Imports; i++)
        {
            rig.Create(i);
        }
        // Mid-import: importers running (as the node reports them; the controller's phases may lag a loaded machine).
        LocalCluster.WaitUntil(() => rig.Pods.Running >= 3, CrashRig.ConvergeTimeout,
            () => $"3 importers running; now:\n{rig.DataVolumes.Table()}");
        var before = Uids(rig);
        rig.Log($"killing the cluster process with {rig.DataVolumes.Count("ImportInProgress")} imports in progress");

        rig.CrashAndRestartCluster();
        rig.Cluster.Apply(DataVolumeManifests.Blank("after", "16Mi"), rig.Namespace);

        AssertEverythingSurvived(rig, before, "the crash");
        controller.HasExited.Should().BeFalse($"the controller kept running (log: {rig.ControllerTail()})");
    }

    /// <summary>
    /// Every import and the one created afterwards succeed with their bytes, and the DataVolumes and claims are the
    /// very objects that existed before (scratch claims come and go by design).
    /// </summary>
    private static void AssertEverythingSurvived(CrashRig rig, Dictionary<string, string> before, string what)
    {
        rig.WaitAllSucceeded([.. Enumerable.Range(0, Imports).Select(CrashRig.Name), "after"]);
        rig.AssertConverged([.. Enumerable.Range(0, Imports)]);
        var after = Uids(rig);
        foreach (var (key, uid) in before.Where(b => !b.Key.EndsWith("-scratch", StringComparison.Ordinal)))
        {
            after.GetValueOrDefault(key).Should().Be(uid, $"{key} existed before {what} and is neither lost nor recreated");
        }
    }

    /// <summary>Every DataVolume's and claim's UID, keyed by kind and name.</summary>
    private static Dictionary<string, string> Uids(CrashRig rig)
    {
        var uids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kind in new[] { "dv", "pvc" })
        {
            var lines = rig.Cluster.Ok("get", kind, "-n", rig.Namespace, "-o", "jsonpath={range .items[*]}{.metadata.name}={.metadata.uid}{\"\\n\"}{end}");
            foreach (var line in lines.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var (name, uid) = (line[..line.IndexOf('=', StringComparison.Ordinal)], line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                uids[$"{kind}/{name}"] = uid;
            }
        }
        return uids;
    }
}
