namespace Cdi.Api.DataVolumes;

public sealed record DataVolumeStatus
{
    public string? ClaimName { get; set; }
    public string? Phase { get; set; }

    /// <summary><c>NN.NN%</c>, or <c>N/A</c>.</summary>
    public string? Progress { get; set; }

    public int? RestartCount { get; set; }

    /// <summary>cdi's bytes/rate/ETA detail (not in upstream's API; clients that do not know it ignore it).</summary>
    public DataVolumeTransfer? Transfer { get; set; }
    public List<DataVolumeCondition>? Conditions { get; set; }
}
