using System.Globalization;
using System.Numerics;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Sizing;

/// <summary>Kubernetes resource quantities as byte counts: <c>10Gi</c>, <c>512Mi</c>, <c>1G</c>, <c>1.5Gi</c>, <c>1e9</c> or plain bytes.</summary>
public static class Quantity
{
    private static readonly (string Suffix, BigInteger Factor)[] Suffixes =
    [
        ("Ki", BigInteger.Pow(2, 10)), ("Mi", BigInteger.Pow(2, 20)), ("Gi", BigInteger.Pow(2, 30)),
        ("Ti", BigInteger.Pow(2, 40)), ("Pi", BigInteger.Pow(2, 50)), ("Ei", BigInteger.Pow(2, 60)),
        ("k", BigInteger.Pow(10, 3)), ("M", BigInteger.Pow(10, 6)), ("G", BigInteger.Pow(10, 9)),
        ("T", BigInteger.Pow(10, 12)), ("P", BigInteger.Pow(10, 15)), ("E", BigInteger.Pow(10, 18)),
    ];

    /// <summary>Parses a quantity into bytes, rounding fractional bytes up as Kubernetes does for storage.</summary>
    public static long ParseBytes(string text)
    {
        if (!TryParseBytes(text, out var bytes))
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"invalid quantity \"{text}\": use a Kubernetes quantity such as 10Gi, 512Mi or 1G, or plain bytes");
        }
        return bytes;
    }

    public static bool TryParseBytes(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var s = text.Trim();
        BigInteger factor = BigInteger.One;
        foreach (var (suffix, f) in Suffixes)
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal))
            {
                factor = f;
                s = s[..^suffix.Length];
                break;
            }
        }
        if (s.Length == 0 || s[0] == '-' || s[0] == '+')
        {
            return false;
        }
        if (!decimal.TryParse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }
        // Scale the decimal exactly: mantissa * factor / 10^scale, rounded up.
        var bits = decimal.GetBits(number);
        var scale = (bits[3] >> 16) & 0xFF;
        var mantissa = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
        var divisor = BigInteger.Pow(10, scale);
        var value = BigInteger.DivRem(mantissa * factor, divisor, out var rest);
        if (rest > 0)
        {
            value += 1;
        }
        if (value > long.MaxValue)
        {
            return false;
        }
        bytes = (long)value;
        return true;
    }
}
