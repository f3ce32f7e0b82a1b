namespace Cdi.Importer.Core.Formats;

/// <summary>What deep inspection learned about an image: its format and the disk size it presents (bytes).</summary>
public sealed record ImageInfo(ImageFormat Format, long VirtualSize);
