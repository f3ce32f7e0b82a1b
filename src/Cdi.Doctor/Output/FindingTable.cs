using System.Text;
using Cdi.Doctor.Findings;

namespace Cdi.Doctor.Output;

/// <summary>
/// The human report: one header line per finding (severity, id, object), then its summary, evidence and remedy
/// indented and wrapped, so it reads at 100 columns without losing the long kubectl commands (they wrap, not cut).
/// </summary>
public static class FindingTable
{
    public const int Width = 100;
    private const string Indent = "    ";

    public static string Render(IReadOnlyList<Finding> findings)
    {
        var text = new StringBuilder();
        if (findings.Count == 0)
        {
            return "No problems found.\n";
        }
        foreach (var f in findings)
        {
            text.Append(f.Severity.ToString().ToUpperInvariant().PadRight(8)).Append(f.Id.PadRight(32)).Append(f.Object).Append('\n');
            Wrap(text, "", f.Summary);
            foreach (var e in f.Evidence) Wrap(text, "saw: ", e);
            Wrap(text, "fix: ", f.Remedy);
            text.Append('\n');
        }
        var errors = findings.Count(f => f.Severity == Severity.Error);
        var warnings = findings.Count(f => f.Severity == Severity.Warning);
        text.Append($"{errors} error(s), {warnings} warning(s), {findings.Count - errors - warnings} note(s)\n");
        return text.ToString();
    }

    private static void Wrap(StringBuilder into, string label, string text)
    {
        var first = Indent + label;
        var rest = Indent + new string(' ', label.Length);
        var line = new StringBuilder(first);
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var prefix = line.Length == first.Length || line.ToString() == rest ? "" : " ";
            if (line.Length + prefix.Length + word.Length > Width && line.Length > rest.Length)
            {
                into.Append(line.ToString().TrimEnd()).Append('\n');
                line.Clear().Append(rest);
                prefix = "";
            }
            // A word longer than a line (a URL, a JSON patch) is cut into pieces rather than left to overflow.
            var w = word;
            while (line.Length + prefix.Length + w.Length > Width)
            {
                var room = Width - line.Length - prefix.Length;
                into.Append(line).Append(prefix).Append(w.AsSpan(0, room)).Append('\n');
                w = w[room..];
                line.Clear().Append(rest);
                prefix = "";
            }
            line.Append(prefix).Append(w);
        }
        into.Append(line.ToString().TrimEnd()).Append('\n');
    }
}
