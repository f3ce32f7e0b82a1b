using System.Text.RegularExpressions;

namespace Cdi.Cluster.Validation;

/// <summary>
/// Qualified names (label keys, annotation keys, finalizers: an optional DNS subdomain prefix and '/', then a name of at
/// most 63 characters) and label values, with kube-apiserver's messages.
/// </summary>
internal static partial class QualifiedNames
{
    public const int NameMaxLength = 63;
    public const int LabelValueMaxLength = 63;

    private const string NameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string NameMessage = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string LabelValueFormat = "(" + NameFormat + ")?";
    private const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    public static IReadOnlyList<string> Name(string value)
    {
        var errors = new List<string>();
        var parts = value.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                var prefix = parts[0];
                name = parts[1];
                if (prefix.Length == 0)
                {
                    errors.Add("prefix part must be non-empty");
                }
                else
                {
                    errors.AddRange(DnsNames.Subdomain(prefix).Select(m => "prefix part " + m));
                }
                break;
            default:
                errors.Add("a qualified name " + DnsNames.Regex(NameMessage, NameFormat, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errors;
        }
        if (name.Length == 0)
        {
            errors.Add("name part must be non-empty");
        }
        else if (name.Length > NameMaxLength)
        {
            errors.Add("name part " + DnsNames.MaxLength(NameMaxLength));
        }
        if (!NameRegex().IsMatch(name))
        {
            errors.Add("name part " + DnsNames.Regex(NameMessage, NameFormat, "MyName", "my.name", "123-abc"));
        }
        return errors;
    }

    public static IReadOnlyList<string> LabelValue(string value)
    {
        var errors = new List<string>();
        if (value.Length > LabelValueMaxLength)
        {
            errors.Add(DnsNames.MaxLength(LabelValueMaxLength));
        }
        if (!LabelValueRegex().IsMatch(value))
        {
            errors.Add(DnsNames.Regex(LabelValueMessage, LabelValueFormat, "MyValue", "my_value", "12345"));
        }
        return errors;
    }

    [GeneratedRegex("^(?:" + NameFormat + ")\\z", RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();

    [GeneratedRegex("^(?:" + LabelValueFormat + ")\\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValueRegex();
}
