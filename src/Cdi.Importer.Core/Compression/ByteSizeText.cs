using System.Globalization;

namespace Cdi.Importer.Core.Compression;

/// <summary>Formats byte counts the way people read limits in messages ("1.5 GiB").</summary>
internal static class ByteSizeText
{
    public static string Format(ulong bytes)
    {
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < 6)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {Unit(unit)}");
    }

    private static string Unit(int power) => power switch
    {
        1 => "KiB",
        2 => "MiB",
        3 => "GiB",
        4 => "TiB",
        5 => "PiB",
        _ => "EiB",
    };
}
