using System.Globalization;
using System.Text;

namespace Cdi.Kube.Runtime;

/// <summary>
/// Controllers' metrics in the Prometheus text format (0.0.4), under controller-runtime's names so existing
/// dashboards and alerts read them: reconcile totals by result, reconcile time histogram, work queue depth; plus
/// cdi's informer health (synced, failing, restarts), which is how a dead cache shows up on a real cluster.
/// </summary>
public static class ControllerMetricsText
{
    public static string Render(IEnumerable<IControllerStatus> controllers)
    {
        var list = controllers.ToList();
        var text = new StringBuilder();
        Header(text, "controller_runtime_reconcile_total", "counter", "Reconciles per controller and result.");
        foreach (var c in list)
        {
            foreach (var outcome in Enum.GetValues<ReconcileOutcome>())
            {
                Line(text, "controller_runtime_reconcile_total", $"controller=\"{c.Name}\",result=\"{Result(outcome)}\"", c.Metrics.Count(outcome));
            }
        }
        Header(text, "controller_runtime_reconcile_time_seconds", "histogram", "Time per reconcile.");
        foreach (var c in list)
        {
            for (var i = 0; i < ReconcileMetrics.Buckets.Count; i++)
            {
                var le = ReconcileMetrics.Buckets[i].ToString(CultureInfo.InvariantCulture);
                Line(text, "controller_runtime_reconcile_time_seconds_bucket", $"controller=\"{c.Name}\",le=\"{le}\"", c.Metrics.AtMost(i));
            }
            Line(text, "controller_runtime_reconcile_time_seconds_bucket", $"controller=\"{c.Name}\",le=\"+Inf\"", c.Metrics.Total);
            text.Append(CultureInfo.InvariantCulture, $"controller_runtime_reconcile_time_seconds_sum{{controller=\"{c.Name}\"}} {c.Metrics.Sum.TotalSeconds:0.######}\n");
            Line(text, "controller_runtime_reconcile_time_seconds_count", $"controller=\"{c.Name}\"", c.Metrics.Total);
        }
        var health = list.Select(c => c.Health).ToList();
        Header(text, "workqueue_depth", "gauge", "Keys waiting for a worker.");
        foreach (var h in health)
        {
            Line(text, "workqueue_depth", $"name=\"{h.Name}\"", h.QueueDepth);
        }
        Header(text, "cdi_controller_informer_synced", "gauge", "1 once the informer's first list is cached.");
        foreach (var h in health)
        {
            foreach (var i in h.Informers)
            {
                Line(text, "cdi_controller_informer_synced", Labels(h, i), i.Synced ? 1 : 0);
            }
        }
        Header(text, "cdi_controller_informer_failing", "gauge", "1 while the informer's list or watch fails or its loop waits to restart.");
        foreach (var h in health)
        {
            foreach (var i in h.Informers)
            {
                Line(text, "cdi_controller_informer_failing", Labels(h, i), i.Failing ? 1 : 0);
            }
        }
        Header(text, "cdi_controller_informer_restarts_total", "counter", "Times the informer's loop died and was restarted.");
        foreach (var h in health)
        {
            foreach (var i in h.Informers)
            {
                Line(text, "cdi_controller_informer_restarts_total", Labels(h, i), i.Restarts);
            }
        }
        return text.ToString();
    }

    private static string Result(ReconcileOutcome outcome) => outcome switch
    {
        ReconcileOutcome.Done => "success",
        ReconcileOutcome.Requeued => "requeue",
        ReconcileOutcome.Conflict => "conflict",
        ReconcileOutcome.Terminal => "terminal",
        _ => "error",
    };

    private static string Labels(ControllerHealth h, InformerHealth i) => $"controller=\"{h.Name}\",resource=\"{Escape(i.Resource)}\"";

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Line(StringBuilder text, string name, string labels, long value) =>
        text.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
