namespace Cdi.Cluster.Validation;

/// <summary>
/// The rule every name meets whatever its kind, because names are URL path segments: not "." or "..", no '/' or '%'.
/// Events are held to this rule only.
/// </summary>
internal static class PathSegmentNames
{
    public static IReadOnlyList<string> Check(string name, bool prefix)
    {
        if (!prefix && name is "." or "..")
        {
            return [$"may not be '{name}'"];
        }
        var errors = new List<string>();
        foreach (var illegal in new[] { "/", "%" })
        {
            if (name.Contains(illegal, StringComparison.Ordinal))
            {
                errors.Add($"may not contain '{illegal}'");
            }
        }
        return errors;
    }
}
