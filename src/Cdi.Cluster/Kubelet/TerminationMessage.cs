using System.Text;
using Cdi.Cluster.FileSafety;

namespace Cdi.Cluster.Kubelet;

/// <summary>Reads a container's termination message as the kubelet does.</summary>
internal static class TerminationMessage
{
    /// <summary>
    /// The file's content (at most <paramref name="maxBytes"/>); with FallbackToLogsOnError, an empty file and a
    /// non-zero exit, the log's last lines instead. A file the container replaced by a symbolic link is not read
    /// (its target could be any file of the cluster's user): the message says so instead.
    /// </summary>
    public static string? Read(ContainedPath messageFile, ContainedPath logFile, string? policy, int exitCode, int maxBytes, int fallbackLines)
    {
        try
        {
            var message = Head(messageFile, maxBytes);
            if (string.IsNullOrEmpty(message) && exitCode != 0 && policy == "FallbackToLogsOnError")
                message = Tail(logFile, maxBytes, fallbackLines);
            return string.IsNullOrEmpty(message) ? null : message;
        }
        catch (UnsafePathException e)
        {
            return e.Message;
        }
    }

    private static string? Head(ContainedPath path, int maxBytes)
    {
        if (!path.Exists) return null;
        using var file = path.OpenRead();
        var buffer = new byte[Math.Min(maxBytes, (int)Math.Min(file.Length, int.MaxValue))];
        var read = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    private static string? Tail(ContainedPath path, int maxBytes, int lines)
    {
        if (!path.Exists) return null;
        using var file = path.OpenRead();
        var take = (int)Math.Min(file.Length, maxBytes);
        file.Seek(-take, SeekOrigin.End);
        var buffer = new byte[take];
        var read = file.ReadAtLeast(buffer, take, throwOnEndOfStream: false);
        var text = Encoding.UTF8.GetString(buffer, 0, read);
        var all = text.TrimEnd('\n').Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}
