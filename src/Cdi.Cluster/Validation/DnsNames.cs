using System.Text.RegularExpressions;

namespace Cdi.Cluster.Validation;

/// <summary>
/// RFC 1123 labels and subdomains and RFC 1035 labels, with kube-apiserver's messages
/// (k8s.io/apimachinery/pkg/util/validation). Each check returns the messages that apply, none when valid.
/// </summary>
internal static partial class DnsNames
{
    public const int LabelMaxLength = 63;
    public const int SubdomainMaxLength = 253;

    private const string LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string SubdomainFormat = LabelFormat + "(\\." + LabelFormat + ")*";
    private const string Dns1035Format = "[a-z]([-a-z0-9]*[a-z0-9])?";

    private const string LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private const string Dns1035Message =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

    public static IReadOnlyList<string> Label(string value)
    {
        var errors = new List<string>();
        if (value.Length > LabelMaxLength)
        {
            errors.Add(MaxLength(LabelMaxLength));
        }
        if (!LabelRegex().IsMatch(value))
        {
            errors.Add(Regex(LabelMessage, LabelFormat, "my-name", "123-abc"));
        }
        return errors;
    }

    public static IReadOnlyList<string> Subdomain(string value)
    {
        var errors = new List<string>();
        if (value.Length > SubdomainMaxLength)
        {
            errors.Add(MaxLength(SubdomainMaxLength));
        }
        if (!SubdomainRegex().IsMatch(value))
        {
            errors.Add(Regex(SubdomainMessage, SubdomainFormat, "example.com"));
        }
        return errors;
    }

    public static IReadOnlyList<string> Dns1035Label(string value)
    {
        var errors = new List<string>();
        if (value.Length > LabelMaxLength)
        {
            errors.Add(MaxLength(LabelMaxLength));
        }
        if (!Dns1035Regex().IsMatch(value))
        {
            errors.Add(Regex(Dns1035Message, Dns1035Format, "my-name", "abc-123"));
        }
        return errors;
    }

    public static string MaxLength(int length) => $"must be no more than {length} characters";

    /// <summary>The message, examples and the regex, worded as apimachinery's RegexError words them.</summary>
    public static string Regex(string message, string format, params string[] examples) =>
        examples.Length == 0
            ? $"{message} (regex used for validation is '{format}')"
            : $"{message} (e.g. {string.Join(" or ", examples.Select(e => $"'{e}',"))} regex used for validation is '{format}')";

    [GeneratedRegex("^(?:" + LabelFormat + ")\\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelRegex();

    [GeneratedRegex("^(?:" + SubdomainFormat + ")\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SubdomainRegex();

    [GeneratedRegex("^(?:" + Dns1035Format + ")\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1035Regex();
}
