using System.Runtime.CompilerServices;

namespace Cdi.Kube.Watching;

/// <summary>
/// Splits a watch response body into its top-level JSON objects. Servers put one object per line, but nothing
/// requires it, so this tracks brace depth (outside strings) instead of trusting newlines.
/// </summary>
internal static class JsonFrameReader
{
    public static async IAsyncEnumerable<byte[]> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var chunk = new byte[16 * 1024];
        using var frame = new MemoryStream();
        var depth = 0;
        var inString = false;
        var escaped = false;
        while (true)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0) yield break;
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                var b = chunk[i];
                if (depth == 0 && b != (byte)'{')
                {
                    start = i + 1; // whitespace between objects
                    continue;
                }
                if (inString)
                {
                    if (escaped) escaped = false;
                    else if (b == (byte)'\\') escaped = true;
                    else if (b == (byte)'"') inString = false;
                    continue;
                }
                if (b == (byte)'"') inString = true;
                else if (b == (byte)'{') depth++;
                else if (b == (byte)'}' && --depth == 0)
                {
                    frame.Write(chunk, start, i + 1 - start);
                    start = i + 1;
                    yield return frame.ToArray();
                    frame.SetLength(0);
                }
            }
            if (depth > 0) frame.Write(chunk, start, read - start);
        }
    }
}
