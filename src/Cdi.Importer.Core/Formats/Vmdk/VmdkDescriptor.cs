using System.Text;
using System.Text.RegularExpressions;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Formats.Vmdk;

/// <summary>
/// Line-by-line check of the descriptor embedded in a sparse VMDK. Every line must be understood; the only subformats allowed are
/// the self-contained ones, with exactly one sparse extent, no parent and no path in the extent name.
/// </summary>
internal static partial class VmdkDescriptor
{
    private const int MaxShownLine = 80;

    public static void Validate(ReadOnlySpan<byte> raw, ulong capacitySectors)
    {
        int nul = raw.IndexOf((byte)0);
        string text = Encoding.Latin1.GetString(nul < 0 ? raw : raw[..nul]);

        string? createType = null;
        int extents = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            string line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var extent = ExtentLine().Match(line);
            if (extent.Success)
            {
                extents++;
                CheckExtent(extent, capacitySectors, extents);
                continue;
            }

            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw NotUnderstood(line);
            }

            string key = line[..equals].Trim();
            string value = line[(equals + 1)..].Trim().Trim('"');
            if (key.StartsWith("ddb.", StringComparison.Ordinal) && KeyName().IsMatch(key))
            {
                continue;
            }

            switch (key)
            {
                case "version":
                    if (value is not ("1" or "2" or "3"))
                    {
                        throw Corrupt($"vmdk descriptor version {Shown(value)} is not supported");
                    }

                    break;
                case "encoding":
                case "CID":
                    break;
                case "parentCID":
                    if (!value.Equals("ffffffff", StringComparison.OrdinalIgnoreCase))
                    {
                        throw BackingFile();
                    }

                    break;
                case "parentFileNameHint":
                    throw BackingFile();
                case "isNativeSnapshot":
                    if (!value.Equals("no", StringComparison.OrdinalIgnoreCase))
                    {
                        throw BackingFile();
                    }

                    break;
                case "createType":
                    if (value is not ("monolithicSparse" or "streamOptimized"))
                    {
                        throw new ImportException(ImportFailureReason.UnsupportedSubformat, $"vmdk subformat {Shown(value)} is not allowed");
                    }

                    createType = value;
                    break;
                default:
                    throw NotUnderstood(line);
            }
        }

        if (createType is null)
        {
            throw Corrupt("vmdk descriptor has no createType");
        }

        if (extents == 0)
        {
            throw Corrupt("vmdk descriptor names no extent");
        }
    }

    private static void CheckExtent(Match extent, ulong capacitySectors, int count)
    {
        string type = extent.Groups["type"].Value;
        string file = extent.Groups["file"].Value;
        if (count > 1)
        {
            throw new ImportException(ImportFailureReason.ExternalReference, "vmdk with more than one extent is not allowed");
        }

        if (type != "SPARSE")
        {
            throw new ImportException(ImportFailureReason.ExternalReference, $"vmdk extent of type {Shown(type)} names another file, which is not allowed");
        }

        if (file.AsSpan().IndexOfAny('/', '\\', ':') >= 0)
        {
            throw new ImportException(ImportFailureReason.ExternalReference, $"vmdk extent file name {Shown(file)} names another path, which is not allowed");
        }

        if (!ulong.TryParse(extent.Groups["sectors"].Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ulong sectors)
            || sectors != capacitySectors)
        {
            throw Corrupt("vmdk extent size does not match the header capacity");
        }
    }

    private static ImportException BackingFile() =>
        new(ImportFailureReason.BackingFileNotAllowed, "vmdk parent (backing) file is not allowed");

    private static ImportException NotUnderstood(string line) => Corrupt($"vmdk descriptor line not understood: {Shown(line)}");

    private static ImportException Corrupt(string message) => new(ImportFailureReason.CorruptImage, message);

    // Descriptor text is attacker-controlled: keep messages on one line, printable and short.
    private static string Shown(string value)
    {
        var builder = new StringBuilder(Math.Min(value.Length, MaxShownLine) + 3);
        foreach (char c in value.Length > MaxShownLine ? value[..MaxShownLine] : value)
        {
            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        if (value.Length > MaxShownLine)
        {
            builder.Append("...");
        }

        return builder.ToString();
    }

    [GeneratedRegex("""^(?<access>RW|RDONLY|NOACCESS)\s+(?<sectors>\d+)\s+(?<type>[A-Z]+)(\s+"(?<file>[^"]*)")?(\s+\d+)?$""", RegexOptions.CultureInvariant)]
    private static partial Regex ExtentLine();

    [GeneratedRegex("""^[A-Za-z0-9_.]+$""", RegexOptions.CultureInvariant)]
    private static partial Regex KeyName();
}
