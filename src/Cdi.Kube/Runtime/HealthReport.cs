using System.Text;

namespace Cdi.Kube.Runtime;

/// <summary>
/// <c>/healthz</c>, <c>/livez</c> and <c>/readyz</c> as kube-apiserver answers them (<c>?verbose</c> lists each check
/// as <c>[+]name ok</c> or <c>[-]name failed: reason</c>). Liveness is the process answering; readiness also needs
/// every controller's caches synced and none failing, so a dead loop is visible rather than silent. Served by the
/// local cluster's API server (its in-process loops) and by <c>cdi controller</c>.
/// </summary>
public static class HealthReport
{
    /// <param name="controllers">Each controller's name and health; a null health is a controller not started yet.</param>
    public static (bool Ok, string Text) Check(string endpoint, bool verbose, IEnumerable<(string Name, ControllerHealth? Health)> controllers)
    {
        var lines = new List<string> { "[+]ping ok" };
        var ok = true;
        if (endpoint == "readyz")
        {
            foreach (var (name, health) in controllers)
            {
                var problem = Problem(health);
                ok &= problem is null;
                lines.Add(problem is null ? $"[+]controller/{name} ok" : $"[-]controller/{name} failed: {problem}");
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

    private static string? Problem(ControllerHealth? health)
    {
        if (health is null)
        {
            return "not started";
        }
        if (health.Informers.FirstOrDefault(i => i.Failing) is { } failing)
        {
            return $"{failing.Resource}: {failing.LastError ?? "its cache is failing"}";
        }
        return health.Informers.FirstOrDefault(i => !i.Synced) is { } unsynced ? $"{unsynced.Resource}: cache not synced" : null;
    }
}
