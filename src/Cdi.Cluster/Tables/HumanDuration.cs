using System.Globalization;

namespace Cdi.Cluster.Tables;

/// <summary>Ages as kubectl prints them (<c>45s</c>, <c>3m12s</c>, <c>5h</c>, <c>2d3h</c>, <c>400d</c>, <c>3y12d</c>).</summary>
internal static class HumanDuration
{
    public static string Format(TimeSpan d)
    {
        var s = (long)Math.Max(0, d.TotalSeconds);
        string F(long v) => v.ToString(CultureInfo.InvariantCulture);
        if (s < 120)
        {
            return F(s) + "s";
        }
        var m = s / 60;
        if (m < 10)
        {
            return s % 60 == 0 ? F(m) + "m" : F(m) + "m" + F(s % 60) + "s";
        }
        if (m < 180)
        {
            return F(m) + "m";
        }
        var h = m / 60;
        if (h < 8)
        {
            return m % 60 == 0 ? F(h) + "h" : F(h) + "h" + F(m % 60) + "m";
        }
        if (h < 48)
        {
            return F(h) + "h";
        }
        var days = h / 24;
        if (h < 24 * 8)
        {
            return h % 24 == 0 ? F(days) + "d" : F(days) + "d" + F(h % 24) + "h";
        }
        if (h < 24 * 365 * 2)
        {
            return F(days) + "d";
        }
        var years = days / 365;
        return days % 365 == 0 ? F(years) + "y" : F(years) + "y" + F(days % 365) + "d";
    }

    public static string Age(string? timestamp, DateTimeOffset now) =>
        Storage.ObjectMeta.ParseTimestamp(timestamp) is { } t ? Format(now - t) : "<unknown>";
}
