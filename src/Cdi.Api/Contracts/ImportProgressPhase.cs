namespace Cdi.Api.Contracts;

/// <summary>What an importer is doing, as <see cref="ImportProgress.Phase"/> carries it (upstream's processing phases).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(StrictStringEnumConverter<ImportProgressPhase>))]
public enum ImportProgressPhase
{
    /// <summary>Probing the source: format, size.</summary>
    Info,
    TransferScratch,
    TransferDataFile,
    TransferDataDir,
    Convert,
    Resize,
    Complete,
}
