namespace Cdi.Importer.Core.Pipeline;

/// <summary>Processing phases, named as upstream's importer logs them (<c>New phase: X</c>).</summary>
public enum ImportPhase
{
    Info,
    TransferScratch,
    TransferDataFile,
    TransferDataDir,
    Convert,
    Resize,
    Complete,
}
