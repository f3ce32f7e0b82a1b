namespace Cdi.Cluster.Validation;

/// <summary>The name rules kube-apiserver applies, by kind (see <see cref="KindRules"/>).</summary>
internal static class NameRules
{
    public static readonly NameRule Subdomain = (name, prefix) => DnsNames.Subdomain(Masked(name, prefix));

    public static readonly NameRule Label = (name, prefix) => DnsNames.Label(Masked(name, prefix));

    public static readonly NameRule Dns1035Label = (name, prefix) => DnsNames.Dns1035Label(Masked(name, prefix));

    public static readonly NameRule PathSegment = PathSegmentNames.Check;

    // A generateName may end in '-': check it as if it ended in a letter.
    private static string Masked(string name, bool prefix) =>
        prefix && name.EndsWith('-') ? name[..^1] + "a" : name;
}
