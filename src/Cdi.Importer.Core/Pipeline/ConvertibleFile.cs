namespace Cdi.Importer.Core.Pipeline;

/// <summary>A seekable file holding the image for a converter: the source itself, or a scratch copy deleted afterwards.</summary>
/// <param name="BytesRead">Source bytes read to make it, when they were not read through the sequential input.</param>
internal sealed record ConvertibleFile(string Path, bool IsTemporary, long? BytesRead = null)
{
    public void Release()
    {
        if (IsTemporary)
        {
            try
            {
                File.Delete(Path);
            }
            catch (IOException)
            {
            }
        }
    }
}
