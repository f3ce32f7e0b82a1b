using System.Globalization;
using System.Text.RegularExpressions;

namespace Cdi.Cluster.Admission;

/// <summary>Kubernetes resource quantities (<c>500m</c>, <c>1Gi</c>, <c>2e3</c>) as decimals, and back to text.</summary>
internal static partial class Quantity
{
    public static decimal Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return 0;
        }
        var m = Pattern().Match(text.Trim());
        if (!m.Success || !decimal.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            throw new FormatException($"quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': {text}");
        }
        return number * m.Groups[2].Value switch
        {
            "n" => 0.000000001m,
            "u" => 0.000001m,
            "m" => 0.001m,
            "" => 1m,
            "k" => 1e3m,
            "M" => 1e6m,
            "G" => 1e9m,
            "T" => 1e12m,
            "P" => 1e15m,
            "E" => 1e18m,
            "Ki" => 1024m,
            "Mi" => 1024m * 1024,
            "Gi" => 1024m * 1024 * 1024,
            "Ti" => 1024m * 1024 * 1024 * 1024,
            "Pi" => 1024m * 1024 * 1024 * 1024 * 1024,
            "Ei" => 1024m * 1024 * 1024 * 1024 * 1024 * 1024,
            _ => 1m,
        };
    }

    /// <summary>Canonical-looking text: milli-units for fractions, binary suffixes when exact, plain otherwise.</summary>
    public static string Format(decimal value)
    {
        if (value != decimal.Truncate(value))
        {
            return (value * 1000m).ToString("0", CultureInfo.InvariantCulture) + "m";
        }
        foreach (var (suffix, size) in new[] { ("Ti", 1024m * 1024 * 1024 * 1024), ("Gi", 1024m * 1024 * 1024), ("Mi", 1024m * 1024), ("Ki", 1024m) })
        {
            if (value != 0 && value % size == 0)
            {
                return (value / size).ToString("0", CultureInfo.InvariantCulture) + suffix;
            }
        }
        return value.ToString("0", CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$")]
    private static partial Regex Pattern();
}
