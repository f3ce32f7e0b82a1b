using System.Buffers.Binary;

namespace Cdi.Importer.Core.Formats;

public static class ImageInspector
{
    public static ImageInfo Inspect(Stream seekable, ImageFormat format)
    {
        if (format == ImageFormat.Qcow2)
        {
            var h = new byte[32];
            seekable.Position = 0;
            seekable.ReadExactly(h);
            return new ImageInfo(format, (long)BinaryPrimitives.ReadUInt64BigEndian(h.AsSpan(24)));
        }
        return new ImageInfo(format, seekable.Length);
    }
}
