namespace Cdi.Cluster.FileSafety;

/// <summary>
/// A name from an object cannot become a path inside its folder (a "..", a '/', a NUL, an empty or over-long name), or
/// a symbolic link below the folder would lead a read or write outside it. The message is one line naming the field.
/// </summary>
public sealed class UnsafePathException : IOException
{
    public UnsafePathException()
    {
    }

    public UnsafePathException(string message) : base(message)
    {
    }

    public UnsafePathException(string message, Exception inner) : base(message, inner)
    {
    }
}
