using System.Text.RegularExpressions;

namespace Cdi.Importer.Core.Sources.S3;

/// <summary>The <c>&lt;Code&gt;</c> of an S3 XML error body.</summary>
public static partial class S3ErrorBody
{
    public static string? Code(string body)
    {
        var match = CodePattern().Match(body);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("<Code>([A-Za-z0-9.]{1,64})</Code>", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
