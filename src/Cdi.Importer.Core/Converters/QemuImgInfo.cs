namespace Cdi.Importer.Core.Converters;

/// <summary>What <c>qemu-img info</c> says about an image, reduced to what the importer checks.</summary>
public sealed record QemuImgInfo(string Format, long VirtualSize, string? BackingFile, string? DataFile);
