using System.Globalization;
using System.Text.RegularExpressions;

namespace Cdi.Api.Upload;

/// <summary>A resumed upload's <c>Content-Range: bytes FIRST-LAST/TOTAL</c> (RFC 9110 §14.4): where its body belongs.</summary>
public sealed partial record ContentRange(long First, long Last, long Total)
{
    public long Length => Last - First + 1;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"bytes {First}-{Last}/{Total}");

    /// <summary>Null with a one-line problem when the header is not a complete, ordered byte range.</summary>
    public static ContentRange? Parse(string text, out string? problem)
    {
        problem = null;
        var m = Pattern().Match(text.Trim());
        if (!m.Success
            || !long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !long.TryParse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            || !long.TryParse(m.Groups[3].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var total))
        {
            problem = $"Content-Range \"{text}\" is not \"bytes FIRST-LAST/TOTAL\"";
            return null;
        }
        if (first > last || last >= total)
        {
            problem = $"Content-Range \"{text}\" is not a range inside its total";
            return null;
        }
        return new ContentRange(first, last, total);
    }

    [GeneratedRegex(@"^bytes ([0-9]{1,19})-([0-9]{1,19})/([0-9]{1,19})$")]
    private static partial Regex Pattern();
}
