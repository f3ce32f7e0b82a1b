namespace Cdi.Api.Contracts;

/// <summary>
/// What a running importer pod serves about its progress: the typed, versioned channel that replaces scraping pod
/// logs, read by the controller from the pod the way upstream's controller reads the importer's progress metric.
/// Served as JSON at <c>http://{status.podIP}:{<see cref="Port"/>}{<see cref="Path"/>}</c>; the same percentage is
/// served as Prometheus text at <see cref="MetricsPath"/> (<c>kubevirt_cdi_import_progress_total{ownerUID="…"}</c>).
/// </summary>
public sealed record ImportProgress
{
    public const int CurrentVersion = 1;

    /// <summary>The importer container's port for progress (plain HTTP, named <see cref="PortName"/>).</summary>
    public const int Port = 8090;

    public const string PortName = "progress";
    public const string Path = "/progress";
    public const string MetricsPath = "/metrics";

    /// <summary>Upstream's metric name, for dashboards that already know it.</summary>
    public const string MetricName = "kubevirt_cdi_import_progress_total";

    /// <summary>The environment variable the importer reads its own address from (a <c>status.podIP</c> fieldRef).</summary>
    public const string PodIpVariable = "POD_IP";

    /// <summary>Required: a reader refuses a document without one or with another.</summary>
    public int? Version { get; set; }

    public ImportProgressPhase Phase { get; set; }

    /// <summary>Bytes of the image processed so far (read from the source, or from scratch while converting).</summary>
    public long BytesDone { get; set; }

    /// <summary>Bytes expected in all for this phase, when known.</summary>
    public long? BytesTotal { get; set; }

    /// <summary>Bytes written to the volume so far.</summary>
    public long BytesWritten { get; set; }

    /// <summary>0–100 for this phase, when the total is known (upstream's progress metric).</summary>
    public double? Percent { get; set; }

    /// <summary>Recent transfer rate in bytes per second, when known.</summary>
    public double? BytesPerSecond { get; set; }
}
