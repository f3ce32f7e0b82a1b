using System.Text.Json;

namespace Cdi.Importer.Core.Sources.Registry;

/// <summary>The distribution API's error body, <c>{"errors":[{"code":…,"message":…}]}</c>, reduced to one line.</summary>
public static class RegistryErrorBody
{
    public static string? Summarize(ReadOnlySpan<byte> body, out bool tooManyRequests)
    {
        tooManyRequests = false;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            if (!document.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array)
            {
                return null;
            }
            var parts = new List<string>();
            foreach (var e in errors.EnumerateArray())
            {
                var code = e.TryGetProperty("code", out var c) ? c.GetString() : null;
                var message = e.TryGetProperty("message", out var m) ? m.GetString() : null;
                tooManyRequests |= string.Equals(code, "TOOMANYREQUESTS", StringComparison.OrdinalIgnoreCase);
                parts.Add(string.Join(": ", new[] { code, message }.Where(s => !string.IsNullOrEmpty(s))));
            }
            return parts.Count == 0 ? null : string.Join("; ", parts).ReplaceLineEndings(" ");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
