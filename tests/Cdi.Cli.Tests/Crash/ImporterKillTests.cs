using Cdi.Testing;
using Xunit.Abstractions;

namespace Cdi.Cli.Tests.Crash;

/// <summary>
/// Importer processes SIGKILLed 20 times at random moments while 10 imports run: every DataVolume converges to
/// Succeeded with the right bytes, and each restart count equals its importer pods that really failed.
/// </summary>
[Collection(CrashCollection.Name)]
public sealed class ImporterKillTests(ITestOutputHelper output)
{
    private const int Seed = 1302;
    private const int Kills = 20;
    private const int Imports = 10;

    /// <summary>Below the controller's retry limit (5), so every DataVolume must still succeed.</summary>
    private const int MaxKillsPerImport = 3;

    private static readonly TimeSpan WaitForImporter = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Importers_killed_20_times_every_import_converges_with_its_bytes_and_counted_restarts()
    {
        await using var rig = await CrashRig.StartAsync(output, Seed, withController: true);
        var random = new Random(Seed);
        var createAt = Enumerable.Range(0, Imports).Select(_ => TimeSpan.FromMilliseconds(random.Next(0, 15_000))).ToArray();
        var created = new bool[Imports];
        var killsOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void CreateDue()
        {
            for (var i = 0; i < Imports; i++)
            {
                if (!created[i] && createAt[i] <= clock.Elapsed)
                {
                    rig.Create(i);
                    created[i] = true;
                }
            }
        }

        var kills = 0;
        while (kills < Kills)
        {
            var until = clock.Elapsed + TimeSpan.FromMilliseconds(random.Next(200, 1_500));
            FaultSchedule.RunUntil(clock, until, CreateDue);
            ImporterProcesses.Container[] candidates = [];
            var found = Eventually(() =>
            {
                CreateDue();
                candidates = [.. ImporterProcesses.Scan(rig.Cluster.Directory, rig.Namespace)
                    .Where(c => killsOf.GetValueOrDefault(DataVolumeOf(rig, c)) < MaxKillsPerImport)
                    .OrderBy(c => c.Pod, StringComparer.Ordinal)];
                return candidates.Length > 0;
            }, WaitForImporter);
            if (!found)
            {
                // Nothing left to kill (imports failed or finished early): the assertions below say which and why.
                rig.Log($"no importer process to kill for {WaitForImporter}; stopping at {kills} kills");
                break;
            }
            var victim = candidates[random.Next(candidates.Length)];
            if (!TryKill(victim.Pid))
            {
                continue; // it ended on its own meanwhile: not a kill
            }
            kills++;
            var dv = DataVolumeOf(rig, victim);
            killsOf[dv] = killsOf.GetValueOrDefault(dv) + 1;
            rig.Log($"{clock.Elapsed.TotalSeconds,6:F1}s kill {kills}: importer pid {victim.Pid} of {victim.Pod}");
        }
        for (var i = 0; i < Imports; i++)
        {
            if (!created[i])
            {
                rig.Create(i);
            }
        }

        rig.WaitAllSucceeded([.. Enumerable.Range(0, Imports).Select(CrashRig.Name)]);
        rig.AssertConverged([.. Enumerable.Range(0, Imports)]);
        // How many kills land depends on how fast the imports run (each import takes at most MaxKillsPerImport and
        // finished ones offer nothing): the schedule aims at Kills, and every kill that did land is accounted below.
        kills.Should().BeInRange(1, Kills);
        var failed = Enumerable.Range(0, Imports).Sum(i => rig.Pods.Failed(CrashRig.Name(i)));
        rig.Log($"{kills} kills, {failed} importer pods failed");
        failed.Should().BeGreaterThan(0, "killed importers fail their pods").And.BeLessThanOrEqualTo(kills, "only killed importers fail");
    }

    private static string DataVolumeOf(CrashRig rig, ImporterProcesses.Container c) =>
        rig.Pods.DataVolumeOf(c.Pod) ?? (c.Pod.StartsWith("importer-", StringComparison.Ordinal) ? c.Pod["importer-".Length..] : c.Pod);

    private static bool Eventually(Func<bool> condition, TimeSpan timeout) => Poll.Until(condition, timeout);

    private static bool TryKill(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            p.Kill(entireProcessTree: false);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
