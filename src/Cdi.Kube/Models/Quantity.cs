using System.Globalization;

namespace Cdi.Kube.Models;

/// <summary>Parses Kubernetes resource quantities ("1Gi", "500M", "1e3", "100m") to numbers.</summary>
public static class Quantity
{
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("Pi", 1024m * 1024 * 1024 * 1024 * 1024), ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
        ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m), ("k", 1e3m), ("M", 1e6m), ("G", 1e9m), ("T", 1e12m),
        ("P", 1e15m), ("E", 1e18m),
    ];

    public static decimal Parse(string quantity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(quantity);
        var text = quantity.Trim();
        foreach (var (suffix, factor) in Suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) && text.Length > suffix.Length)
                return decimal.Parse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture) * factor;
        }
        return decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>A byte count, rounded up as Kubernetes does for storage requests.</summary>
    public static long ParseBytes(string quantity) => (long)Math.Ceiling(Parse(quantity));
}
