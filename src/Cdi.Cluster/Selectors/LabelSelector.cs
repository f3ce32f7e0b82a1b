using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Selectors;

/// <summary>The label selector string syntax of <c>?labelSelector=</c> (k8s.io/apimachinery/pkg/labels).</summary>
internal sealed class LabelSelector
{
    private readonly IReadOnlyList<LabelRequirement> _requirements;

    private LabelSelector(IReadOnlyList<LabelRequirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r.Matches(labels));

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var requirements = new List<LabelRequirement>();
        foreach (var clause in SplitTopLevel(text))
        {
            requirements.Add(ParseClause(clause.Trim()));
        }
        return new LabelSelector(requirements);
    }

    private static LabelRequirement ParseClause(string c)
    {
        if (c.StartsWith('!'))
        {
            return new LabelRequirement(c[1..].Trim(), "!", []);
        }
        foreach (var op in new[] { " notin ", " in " })
        {
            var at = c.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var set = c[(at + op.Length)..].Trim();
                if (!set.StartsWith('(') || !set.EndsWith(')'))
                {
                    throw ApiErrors.BadRequest($"unable to parse requirement: found '{set}', expected: '('");
                }
                var values = set[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                return new LabelRequirement(c[..at].Trim(), op.Trim(), values);
            }
        }
        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = c.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                return new LabelRequirement(c[..at].Trim(), op, [c[(at + op.Length)..].Trim()]);
            }
        }
        return new LabelRequirement(c, "exists", []);
    }

    // Commas separate clauses, except inside the parentheses of "in (a,b)".
    private static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    parts.Add(text[start..i]);
                    start = i + 1;
                    break;
            }
        }
        parts.Add(text[start..]);
        return [.. parts.Where(p => p.Trim().Length > 0)];
    }
}
