namespace Cdi.Api.Contracts;

/// <summary>
/// What a running importer pod serves about its progress (the typed, versioned channel that replaces scraping pod
/// logs): the controller reads it from the pod, the way upstream's controller reads the importer's progress metric.
/// </summary>
public sealed record ImportProgress
{
    public int Version { get; set; } = ImporterSpec.CurrentVersion;

    /// <summary>Bytes of the image processed so far.</summary>
    public long BytesDone { get; set; }

    /// <summary>Bytes expected in all, when known.</summary>
    public long? BytesTotal { get; set; }

    /// <summary>Recent transfer rate in bytes per second, when known.</summary>
    public double? BytesPerSecond { get; set; }
}
