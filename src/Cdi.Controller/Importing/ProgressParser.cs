using System.Globalization;
using System.Text.Json;

namespace Cdi.Controller.Importing;

/// <summary>The importer logs progress as JSON lines (<c>--progress json</c>); the last one with a percentage wins.</summary>
public static class ProgressParser
{
    public static double? LastPercent(string log)
    {
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            var line = lines[i];
            if (!line.StartsWith('{'))
            {
                continue;
            }
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.TryGetProperty("percent", out var p) && p.ValueKind == JsonValueKind.Number)
                {
                    return Math.Clamp(p.GetDouble(), 0, 100);
                }
            }
            catch (JsonException)
            {
            }
        }
        return null;
    }

    internal static string Format(double percent) => percent.ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
