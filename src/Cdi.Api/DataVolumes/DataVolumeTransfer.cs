namespace Cdi.Api.DataVolumes;

/// <summary>
/// cdi's own detail beside upstream's <c>status.progress</c> (<c>status.transfer</c>): what the running worker
/// reported last, so an administrator sees bytes, rate and time left with <c>kubectl get dv -o yaml</c>. Rate and
/// ETA are only present while a worker runs; the byte counts stay as the last report left them.
/// </summary>
public sealed record DataVolumeTransfer
{
    /// <summary>The worker's processing phase (<c>TransferDataFile</c>, <c>Convert</c>, …).</summary>
    public string? Phase { get; set; }

    /// <summary>Bytes of the image processed so far in this phase.</summary>
    public long BytesDone { get; set; }

    /// <summary>Bytes expected in this phase, when the worker knows them.</summary>
    public long? BytesTotal { get; set; }

    /// <summary>Bytes written to the volume so far.</summary>
    public long BytesWritten { get; set; }

    /// <summary>Recent rate in bytes per second, whole bytes.</summary>
    public long? BytesPerSecond { get; set; }

    /// <summary>Seconds left at the recent rate, when both the total and the rate are known.</summary>
    public long? EtaSeconds { get; set; }
}
