namespace Cdi.Importer.Core.Progress;

public sealed class NullProgressSink : IProgressSink
{
    public void Report(ProgressSnapshot snapshot, bool phaseChanged) { }
    public void Finish() { }
}
