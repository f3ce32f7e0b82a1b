namespace Cdi.Importer.Core.Formats;

public static class VhdFooter
{
    public static bool TryParseFixed(ReadOnlySpan<byte> last512, long totalLength, out long virtualSize)
    {
        virtualSize = 0;
        return false;
    }
}
