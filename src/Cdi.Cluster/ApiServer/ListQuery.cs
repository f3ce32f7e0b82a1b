using System.Globalization;

namespace Cdi.Cluster.ApiServer;

/// <summary>The list and watch query parameters that take numbers, checked as kube-apiserver checks them (400 when malformed).</summary>
internal static class ListQuery
{
    /// <summary>
    /// <c>limit</c>: absent or 0 is "everything"; a negative or non-numeric value is refused; a value beyond what an int
    /// holds is capped (the server may always return fewer items and a continue token).
    /// </summary>
    public static int Limit(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return int.MaxValue;
        }
        if (!IsDigits(text))
        {
            throw ApiErrors.BadRequest($"invalid value for limit: {Validation.GoQuoted.Of(text)}: must be a non-negative integer");
        }
        var limit = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : long.MaxValue;
        return limit == 0 ? int.MaxValue : (int)Math.Min(limit, int.MaxValue);
    }

    /// <summary><c>resourceVersion</c>: absent, or the decimal counter this server hands out.</summary>
    public static long? ResourceVersion(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        return IsDigits(text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var rv)
            ? rv
            : throw ApiErrors.BadRequest($"invalid resource version: {Validation.GoQuoted.Of(text)}");
    }

    private static bool IsDigits(string text) => text.All(char.IsAsciiDigit);
}
