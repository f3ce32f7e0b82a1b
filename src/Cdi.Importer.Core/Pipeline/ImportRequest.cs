using Cdi.Importer.Core.Checksums;

namespace Cdi.Importer.Core.Pipeline;

/// <summary>One import, as the CLI or an importer pod's spec asks for it.</summary>
/// <param name="Source">URL or path; <c>blank:</c> for an empty disk.</param>
/// <param name="TargetPath">Directory (Filesystem) or device/file (Block).</param>
/// <param name="RequestedSize">The volume's size in bytes.</param>
/// <param name="ScratchInTarget">Without a scratch directory, spool into the target itself (the CLI); importer pods
/// instead report that scratch space is required, and the controller provides a scratch volume.</param>
/// <param name="RawCopy">The bytes are a volume's raw contents (a clone): written as they are, never decompressed or
/// converted, whatever header they happen to start with.</param>
public sealed record ImportRequest(
    string Source,
    string TargetPath,
    long RequestedSize,
    VolumeMode VolumeMode = VolumeMode.Filesystem,
    ContentType ContentType = ContentType.Kubevirt,
    ExpectedChecksum? Checksum = null,
    decimal FilesystemOverhead = Sizing.VolumeSize.DefaultFilesystemOverhead,
    string? ScratchDirectory = null,
    bool Preallocation = false,
    bool ScratchInTarget = true,
    bool RawCopy = false)
{
    public const string BlankSource = "blank:";
}
