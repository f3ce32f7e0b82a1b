namespace Cdi.Cli.UploadClient;

/// <summary>Where in the file the upload is: the progress bar reads it while the request body advances it.</summary>
internal sealed class SentBytes
{
    private long _position;

    public long Position => Interlocked.Read(ref _position);

    public void Set(long position) => Interlocked.Exchange(ref _position, position);

    public void Add(long count) => Interlocked.Add(ref _position, count);
}
