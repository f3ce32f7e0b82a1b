using Xunit.Abstractions;

namespace Cdi.Cli.Tests.Crash;

/// <summary>
/// The controller SIGKILLed at random moments 20 times while 10 imports run (each created at a random moment too), and
/// restarted after a random pause. The moments come from a fixed seed; they inject faults, they synchronize nothing.
/// </summary>
[Collection(CrashCollection.Name)]
public sealed class ControllerKillTests(ITestOutputHelper output)
{
    private const int Seed = 1301;
    private const int Kills = 20;
    private const int Imports = 10;

    [Fact]
    public async Task Controller_killed_20_times_during_10_imports_never_runs_two_importers_and_every_import_succeeds_with_its_bytes()
    {
        await using var rig = await CrashRig.StartAsync(output, Seed, withController: false);
        var random = new Random(Seed);
        // Imports start during the first half of the faults, so kills land before, during and after each one.
        var createAt = Enumerable.Range(0, Imports).Select(_ => TimeSpan.FromMilliseconds(random.Next(0, 20_000))).ToArray();
        var created = new bool[Imports];
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

        for (var kill = 1; kill <= Kills; kill++)
        {
            using var controller = rig.StartController();
            var changesBefore = rig.DataVolumes.Changes;
            var alive = TimeSpan.FromMilliseconds(random.Next(100, 4_000));
            var down = TimeSpan.FromMilliseconds(random.Next(0, 800));
            FaultSchedule.RunUntil(clock, clock.Elapsed + alive, CreateDue);
            controller.HasExited.Should().BeFalse($"the controller must not exit on its own (log: {rig.ControllerTail()})");
            controller.KillHard();
            rig.Log($"{clock.Elapsed.TotalSeconds,6:F1}s kill {kill}: controller pid {controller.Id} after {alive.TotalMilliseconds:F0} ms, " +
                $"{rig.DataVolumes.Changes - changesBefore} DataVolume changes in its life; {rig.DataVolumes.Count("Succeeded")} Succeeded");
            FaultSchedule.RunUntil(clock, clock.Elapsed + down, CreateDue); // the controller stays down a random while
        }
        for (var i = 0; i < Imports; i++)
        {
            if (!created[i])
            {
                rig.Create(i);
            }
        }

        using var last = rig.StartController();
        rig.WaitAllSucceeded([.. Enumerable.Range(0, Imports).Select(CrashRig.Name)]);
        rig.AssertConverged([.. Enumerable.Range(0, Imports)]);
        for (var i = 0; i < Imports; i++)
        {
            rig.Pods.Failed(CrashRig.Name(i)).Should().Be(0, "only the controller was killed, never an importer");
        }
    }
}
