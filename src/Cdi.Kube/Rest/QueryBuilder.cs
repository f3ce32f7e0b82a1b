using System.Text;

namespace Cdi.Kube.Rest;

/// <summary>Builds a URL query string, skipping parameters whose value is null.</summary>
internal sealed class QueryBuilder
{
    private readonly StringBuilder _query = new();

    public QueryBuilder Add(string name, string? value)
    {
        if (value is null) return this;
        _query.Append(_query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        return this;
    }

    public QueryBuilder Add(string name, int? value) => Add(name, value?.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public QueryBuilder Add(string name, bool value) => value ? Add(name, "true") : this;

    public override string ToString() => _query.ToString();
}
