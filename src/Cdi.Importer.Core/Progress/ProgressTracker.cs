using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Progress;

/// <summary>
/// Holds the import's live counters and reports them to a sink on phase changes and on a timer, so the copy loop
/// never formats or prints anything itself.
/// </summary>
public sealed class ProgressTracker : IDisposable
{
    private readonly IProgressSink _sink;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private ImportPhase _phase = ImportPhase.Info;
    private long? _total;
    private Func<long> _bytesRead = () => 0;
    private Func<long> _bytesWritten = () => 0;
    private double? _percentOverride;

    public ProgressTracker(IProgressSink sink, TimeProvider time, TimeSpan interval)
    {
        _sink = sink;
        _time = time;
        _started = time.GetTimestamp();
        _timer = time.CreateTimer(_ => Emit(false), null, interval, interval);
    }

    public ImportPhase Phase
    {
        get
        {
            lock (_lock)
            {
                return _phase;
            }
        }
    }

    public void EnterPhase(ImportPhase phase, long? total = null, Func<long>? bytesRead = null, Func<long>? bytesWritten = null)
    {
        lock (_lock)
        {
            _phase = phase;
            _total = total;
            _percentOverride = null;
            if (bytesRead is not null)
            {
                _bytesRead = bytesRead;
            }
            if (bytesWritten is not null)
            {
                _bytesWritten = bytesWritten;
            }
        }
        Emit(true);
    }

    /// <summary>For phases whose progress comes as a percentage (qemu-img convert).</summary>
    public void SetPercent(double percent)
    {
        lock (_lock)
        {
            _percentOverride = percent;
        }
    }

    public ProgressSnapshot Snapshot()
    {
        lock (_lock)
        {
            var read = _bytesRead();
            var written = _bytesWritten();
            double? percent = _percentOverride;
            if (percent is null && _total is > 0 and var t)
            {
                percent = Math.Min(100.0, 100.0 * read / t);
            }
            if (_phase == ImportPhase.Complete)
            {
                percent = 100.0;
            }
            return new ProgressSnapshot(_phase, read, written, _total, percent, _time.GetElapsedTime(_started));
        }
    }

    private void Emit(bool phaseChanged) => _sink.Report(Snapshot(), phaseChanged);

    public void Dispose()
    {
        _timer.Dispose();
        _sink.Finish();
    }
}
