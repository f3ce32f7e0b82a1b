using System.Text;
using Cdi.Cluster.Controllers;

namespace Cdi.Cluster.ApiServer;

/// <summary>
/// <c>/healthz</c>, <c>/livez</c> and <c>/readyz</c> as kube-apiserver answers them (<c>?verbose</c> lists each check
/// as <c>[+]name ok</c> or <c>[-]name failed: reason</c>). Liveness is the process answering; readiness also needs the
/// in-process controllers' caches synced and none failing, so a dead loop is visible rather than silent.
/// </summary>
internal sealed class HealthChecks(IReadOnlyList<IController> controllers)
{
    public (bool Ok, string Text) Check(string endpoint, bool verbose)
    {
        var lines = new List<string> { "[+]ping ok" };
        var ok = true;
        if (endpoint == "readyz")
        {
            foreach (var c in controllers)
            {
                var problem = Problem(c);
                ok &= problem is null;
                lines.Add(problem is null ? $"[+]controller/{c.Name} ok" : $"[-]controller/{c.Name} failed: {problem}");
            }
        }
        if (!verbose)
        {
            return (ok, ok ? "ok" : string.Join('\n', lines.Where(l => l.StartsWith("[-]", StringComparison.Ordinal))) + $"\n{endpoint} check failed\n");
        }
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }
        text.Append(endpoint).Append(ok ? " check passed\n" : " check failed\n");
        return (ok, text.ToString());
    }

    private static string? Problem(IController c)
    {
        if (c.Health is not { } health)
        {
            return "not started";
        }
        if (health.Informers.FirstOrDefault(i => i.Failing) is { } failing)
        {
            return failing.LastError ?? "its cache is failing";
        }
        return health.Informers.Any(i => !i.Synced) ? "cache not synced" : null;
    }
}
