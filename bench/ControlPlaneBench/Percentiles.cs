namespace Cdi.Bench.ControlPlane;

internal static class Percentiles
{
    /// <summary>"p50 X ms, p99 Y ms, max Z ms (n)", nearest-rank.</summary>
    public static string Format(List<TimeSpan> samples)
    {
        if (samples.Count == 0)
        {
            return "no samples";
        }
        samples.Sort();
        TimeSpan At(double q) => samples[Math.Clamp((int)Math.Ceiling(q * samples.Count) - 1, 0, samples.Count - 1)];
        return $"p50 {At(0.50).TotalMilliseconds,7:F0} ms   p99 {At(0.99).TotalMilliseconds,7:F0} ms   max {samples[^1].TotalMilliseconds,7:F0} ms   (n={samples.Count})";
    }
}
