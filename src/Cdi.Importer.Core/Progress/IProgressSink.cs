namespace Cdi.Importer.Core.Progress;

/// <summary>Receives progress: every phase change, and periodic updates in between.</summary>
public interface IProgressSink
{
    void Report(ProgressSnapshot snapshot, bool phaseChanged);

    /// <summary>The import ended (successfully or not); a terminal display can clean up.</summary>
    void Finish();
}
