using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Formats;

/// <summary>Bounds-checked positional reads for the inspectors: every read must lie inside the image, or the image is corrupt.</summary>
internal sealed class ImageReader
{
    private readonly Stream _stream;

    public ImageReader(Stream stream, string formatName)
    {
        _stream = stream;
        FormatName = formatName;
        Length = stream.Length;
    }

    public string FormatName { get; }

    public long Length { get; }

    public bool Contains(long offset, long length) => offset >= 0 && length >= 0 && offset <= Length && length <= Length - offset;

    public void Read(long offset, Span<byte> destination)
    {
        if (!Contains(offset, destination.Length))
        {
            throw new ImportException(
                ImportFailureReason.CorruptImage,
                $"{FormatName} image is truncated: needs {destination.Length} bytes at offset {offset}, file is {Length} bytes");
        }

        _stream.Position = offset;
        _stream.ReadExactly(destination);
    }

    public byte[] Read(long offset, int length)
    {
        var buffer = new byte[length];
        Read(offset, buffer);
        return buffer;
    }
}
