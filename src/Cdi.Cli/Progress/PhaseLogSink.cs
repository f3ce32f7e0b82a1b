using Cdi.Importer.Core.Progress;

namespace Cdi.Cli.Progress;

/// <summary>Logs each phase change as upstream's importer does (<c>New phase: X</c>), for output that is not a terminal.</summary>
internal sealed class PhaseLogSink(TextWriter output) : IProgressSink
{
    public void Report(ProgressSnapshot snapshot, bool phaseChanged)
    {
        if (phaseChanged)
        {
            output.WriteLine($"   New phase: {snapshot.Phase} (read {BarProgressSink.Bytes(snapshot.BytesRead)}, written {BarProgressSink.Bytes(snapshot.BytesWritten)})");
        }
    }

    public void Finish() { }
}
