namespace Cdi.Importer.Core.Formats;

public sealed record ImageInfo(ImageFormat Format, long VirtualSize);
