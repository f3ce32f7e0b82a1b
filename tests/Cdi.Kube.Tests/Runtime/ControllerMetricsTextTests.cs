using Cdi.Kube.Runtime;

namespace Cdi.Kube.Tests.Runtime;

public sealed class ControllerMetricsTextTests
{
    private sealed class Status(string name, ReconcileMetrics metrics, ControllerHealth health) : IControllerStatus
    {
        public string Name => name;
        public ControllerHealth Health => health;
        public ReconcileMetrics Metrics => metrics;
    }

    [Fact]
    public void Reconciles_render_as_cumulative_buckets_with_totals_by_result()
    {
        var metrics = new ReconcileMetrics();
        metrics.Observe(ReconcileOutcome.Done, TimeSpan.FromMilliseconds(0.5));
        metrics.Observe(ReconcileOutcome.Done, TimeSpan.FromMilliseconds(15));
        metrics.Observe(ReconcileOutcome.Conflict, TimeSpan.FromMilliseconds(30));
        metrics.Observe(ReconcileOutcome.Failed, TimeSpan.FromSeconds(60));
        var health = new ControllerHealth("dv", [new InformerHealth("pods", true, true, 2, "boom", null)], 3, 4, 1, 1, 0, null, null);

        var text = ControllerMetricsText.Render([new Status("dv", metrics, health)]);

        text.Should().Contain("controller_runtime_reconcile_total{controller=\"dv\",result=\"success\"} 2\n")
            .And.Contain("controller_runtime_reconcile_total{controller=\"dv\",result=\"conflict\"} 1\n")
            .And.Contain("controller_runtime_reconcile_total{controller=\"dv\",result=\"error\"} 1\n")
            .And.Contain("controller_runtime_reconcile_time_seconds_bucket{controller=\"dv\",le=\"0.001\"} 1\n")
            .And.Contain("controller_runtime_reconcile_time_seconds_bucket{controller=\"dv\",le=\"0.02\"} 2\n")
            .And.Contain("controller_runtime_reconcile_time_seconds_bucket{controller=\"dv\",le=\"0.05\"} 3\n")
            .And.Contain("controller_runtime_reconcile_time_seconds_bucket{controller=\"dv\",le=\"10\"} 3\n", "a minute is beyond the last bound")
            .And.Contain("controller_runtime_reconcile_time_seconds_bucket{controller=\"dv\",le=\"+Inf\"} 4\n")
            .And.Contain("controller_runtime_reconcile_time_seconds_count{controller=\"dv\"} 4\n")
            .And.Contain("controller_runtime_reconcile_time_seconds_sum{controller=\"dv\"} 60.0455\n")
            .And.Contain("workqueue_depth{name=\"dv\"} 3\n")
            .And.Contain("cdi_controller_informer_failing{controller=\"dv\",resource=\"pods\"} 1\n")
            .And.Contain("cdi_controller_informer_restarts_total{controller=\"dv\",resource=\"pods\"} 2\n");
    }

    [Fact]
    public void Readiness_names_the_failing_cache_and_liveness_does_not_look_at_it()
    {
        var failing = new ControllerHealth("dv", [new InformerHealth("pods", true, true, 0, "connection refused", null)], 0, 0, 0, 0, 0, null, null);
        var (ok, text) = HealthReport.Check("readyz", verbose: false, [("dv", failing), ("settings", null)]);
        ok.Should().BeFalse();
        text.Should().Be("[-]controller/dv failed: pods: connection refused\n[-]controller/settings failed: not started\nreadyz check failed\n");
        HealthReport.Check("livez", verbose: false, [("dv", failing)]).Should().Be((true, "ok"));
    }
}
