using System.Text.Json.Nodes;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Selectors;

/// <summary>
/// <c>?fieldSelector=</c>: <c>path=value</c>, <c>path==value</c>, <c>path!=value</c>, comma-separated. Any dotted path of
/// the object works (metadata.name, status.phase, spec.nodeName, involvedObject.uid, ...), a superset of what Kubernetes
/// allows per kind. A missing field compares as the empty string, as Kubernetes does.
/// </summary>
internal sealed class FieldSelector
{
    private readonly IReadOnlyList<(string Path, bool Equal, string Value)> _terms;

    private FieldSelector(IReadOnlyList<(string, bool, string)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var terms = new List<(string, bool, string)>();
        foreach (var clause in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var ne = clause.IndexOf("!=", StringComparison.Ordinal);
            if (ne > 0)
            {
                terms.Add((clause[..ne], false, clause[(ne + 2)..]));
                continue;
            }
            var eq = clause.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw ApiServer.ApiErrors.BadRequest($"invalid selector: '{text}'; can't understand '{clause}'");
            }
            var value = clause[(eq + 1)..];
            terms.Add((clause[..eq], true, value.StartsWith('=') ? value[1..] : value));
        }
        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject o)
    {
        foreach (var (path, equal, value) in _terms)
        {
            var actual = ObjectMeta.PathString(o, path) ?? "";
            if (string.Equals(actual, value, StringComparison.Ordinal) != equal)
            {
                return false;
            }
        }
        return true;
    }
}
