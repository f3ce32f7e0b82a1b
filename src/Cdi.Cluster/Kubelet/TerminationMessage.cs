using System.Text;

namespace Cdi.Cluster.Kubelet;

/// <summary>Reads a container's termination message as the kubelet does.</summary>
internal static class TerminationMessage
{
    /// <summary>
    /// The file's content (at most <paramref name="maxBytes"/>); with FallbackToLogsOnError, an empty file and a
    /// non-zero exit, the log's last lines instead.
    /// </summary>
    public static string? Read(string messageFile, string logFile, string? policy, int exitCode, int maxBytes, int fallbackLines)
    {
        var message = Head(messageFile, maxBytes);
        if (string.IsNullOrEmpty(message) && exitCode != 0 && policy == "FallbackToLogsOnError")
            message = Tail(logFile, maxBytes, fallbackLines);
        return string.IsNullOrEmpty(message) ? null : message;
    }

    private static string? Head(string path, int maxBytes)
    {
        if (!File.Exists(path)) return null;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new byte[Math.Min(maxBytes, (int)Math.Min(file.Length, int.MaxValue))];
        var read = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    private static string? Tail(string path, int maxBytes, int lines)
    {
        if (!File.Exists(path)) return null;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var take = (int)Math.Min(file.Length, maxBytes);
        file.Seek(-take, SeekOrigin.End);
        var buffer = new byte[take];
        var read = file.ReadAtLeast(buffer, take, throwOnEndOfStream: false);
        var text = Encoding.UTF8.GetString(buffer, 0, read);
        var all = text.TrimEnd('\n').Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}
