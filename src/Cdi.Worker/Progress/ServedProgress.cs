using Cdi.Api.Contracts;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Progress;

namespace Cdi.Worker.Progress;

/// <summary>
/// A progress sink that keeps the latest <see cref="ImportProgress"/> for <see cref="ProgressServer"/> to serve, and
/// passes every report on to the sink it wraps (the container log keeps its JSON lines for humans).
/// The rate is measured over at least <see cref="RateWindow"/> of the importer's own elapsed time, so it needs no clock.
/// </summary>
internal sealed class ServedProgress(IProgressSink inner) : IProgressSink
{
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private ImportProgress _current = new() { Version = ImportProgress.CurrentVersion, Phase = ImportProgressPhase.Info };
    private (ImportPhase Phase, long Bytes, TimeSpan At)? _sample;
    private double? _rate;

    public ImportProgress Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    public void Report(ProgressSnapshot s, bool phaseChanged)
    {
        lock (_lock)
        {
            if (_sample is not { } sample || sample.Phase != s.Phase || s.BytesRead < sample.Bytes)
            {
                _sample = (s.Phase, s.BytesRead, s.Elapsed);
                _rate = null;
            }
            else if (s.Elapsed - sample.At >= RateWindow)
            {
                _rate = (s.BytesRead - sample.Bytes) / (s.Elapsed - sample.At).TotalSeconds;
                _sample = (s.Phase, s.BytesRead, s.Elapsed);
            }
            _current = new ImportProgress
            {
                Version = ImportProgress.CurrentVersion,
                Phase = ToContract(s.Phase),
                BytesDone = s.BytesRead,
                BytesTotal = s.Total,
                BytesWritten = s.BytesWritten,
                Percent = s.Percent,
                BytesPerSecond = _rate,
            };
        }
        inner.Report(s, phaseChanged);
    }

    public void Finish() => inner.Finish();

    private static ImportProgressPhase ToContract(ImportPhase phase) => phase switch
    {
        ImportPhase.Info => ImportProgressPhase.Info,
        ImportPhase.TransferScratch => ImportProgressPhase.TransferScratch,
        ImportPhase.TransferDataFile => ImportProgressPhase.TransferDataFile,
        ImportPhase.TransferDataDir => ImportProgressPhase.TransferDataDir,
        ImportPhase.Convert => ImportProgressPhase.Convert,
        ImportPhase.Resize => ImportProgressPhase.Resize,
        ImportPhase.Complete => ImportProgressPhase.Complete,
        _ => ImportProgressPhase.Info,
    };
}
