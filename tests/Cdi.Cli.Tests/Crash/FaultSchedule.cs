using System.Diagnostics;
using Cdi.Testing;

namespace Cdi.Cli.Tests.Crash;

/// <summary>
/// When the next fault lands: the seeded schedule's point in time is the condition, and until it comes the test keeps
/// doing its own work (creating DataVolumes on their schedule). Fault injection, not synchronization.
/// </summary>
internal static class FaultSchedule
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(20);

    public static void RunUntil(Stopwatch clock, TimeSpan at, Action meanwhile)
    {
        var reached = Poll.Until(() =>
        {
            meanwhile();
            return clock.Elapsed >= at;
        }, at - clock.Elapsed + TimeSpan.FromSeconds(30), Tick);
        if (!reached)
        {
            throw new TimeoutException($"the fault schedule's point {at} was not reached");
        }
    }
}
