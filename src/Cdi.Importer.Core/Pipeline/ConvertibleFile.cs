namespace Cdi.Importer.Core.Pipeline;

/// <summary>A seekable file holding the image for a converter: the source itself, or a scratch copy deleted afterwards.</summary>
internal sealed record ConvertibleFile(string Path, bool IsTemporary)
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
