using System.Globalization;
using Cdi.Importer.Core.Progress;

namespace Cdi.Cli.Progress;

/// <summary>A one-line progress bar with bytes, rate and ETA, redrawn in place on a terminal.</summary>
internal sealed class BarProgressSink(TextWriter output) : IProgressSink
{
    private const int Width = 28;
    private readonly Lock _lock = new();
    private bool _drawn;

    public void Report(ProgressSnapshot s, bool phaseChanged)
    {
        var seconds = Math.Max(0.001, s.Elapsed.TotalSeconds);
        var rate = s.BytesRead / seconds;
        var filled = s.Percent is { } p ? (int)(p / 100 * Width) : 0;
        var bar = new string('#', filled) + new string('.', Width - filled);
        var percent = s.Percent is { } pc ? pc.ToString("0.0", CultureInfo.InvariantCulture) + "%" : "  ?  ";
        var eta = s.Percent is > 0 and < 100 and var q ? Format(TimeSpan.FromSeconds(seconds * (100 - q) / q)) : "--:--";
        var total = s.Total is { } t ? "/" + Bytes(t) : "";
        var line = $"\r{s.Phase,-16} [{bar}] {percent,6} {Bytes(s.BytesRead)}{total} {Bytes((long)rate)}/s ETA {eta}";
        lock (_lock)
        {
            output.Write(line.PadRight(100));
            output.Flush();
            _drawn = true;
        }
    }

    public void Finish()
    {
        lock (_lock)
        {
            if (_drawn)
            {
                output.WriteLine();
            }
        }
    }

    internal static string Bytes(long n)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double v = n;
        var u = 0;
        while (v >= 1024 && u < units.Length - 1)
        {
            v /= 1024;
            u++;
        }
        return u == 0 ? $"{n} B" : v.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[u];
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
