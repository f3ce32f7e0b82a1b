using System.Globalization;
using System.Text;

namespace Cdi.Importer.Core.Progress;

/// <summary><c>--progress json</c>: one JSON object per line on stderr, for scripts and container logs.</summary>
public sealed class JsonProgressSink(TextWriter output) : IProgressSink
{
    private readonly Lock _lock = new();

    public void Report(ProgressSnapshot snapshot, bool phaseChanged)
    {
        var s = snapshot;
        var line = new StringBuilder(160);
        line.Append("{\"phase\":\"").Append(s.Phase).Append('"')
            .Append(",\"bytesRead\":").Append(s.BytesRead.ToString(CultureInfo.InvariantCulture))
            .Append(",\"bytesWritten\":").Append(s.BytesWritten.ToString(CultureInfo.InvariantCulture))
            .Append(",\"total\":").Append(s.Total is { } t ? t.ToString(CultureInfo.InvariantCulture) : "null")
            .Append(",\"percent\":").Append(s.Percent is { } p ? p.ToString("0.00", CultureInfo.InvariantCulture) : "null")
            .Append('}');
        lock (_lock)
        {
            output.WriteLine(line.ToString());
            output.Flush();
        }
    }

    public void Finish() { }
}
