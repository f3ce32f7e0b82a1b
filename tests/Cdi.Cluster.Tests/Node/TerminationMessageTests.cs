using Cdi.Cluster.FileSafety;
using Cdi.Cluster.Kubelet;

namespace Cdi.Cluster.Tests.Node;

public sealed class TerminationMessageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("termlog-").FullName;
    private string Message => Path.Combine(_dir, "c.termination-log");
    private string Log => Path.Combine(_dir, "c.log");
    private ContainedPath MessagePath => ContainedPath.Under(_dir).Child("c", "container", ".termination-log");
    private ContainedPath LogPath => ContainedPath.Under(_dir).Child("c", "container", ".log");

    [Fact]
    public void The_file_wins_and_is_cut_at_the_limit()
    {
        File.WriteAllText(Message, new string('x', 5000));
        File.WriteAllText(Log, "log\n");
        TerminationMessage.Read(MessagePath, LogPath, "FallbackToLogsOnError", 1, 4096, 80).Should().HaveLength(4096);
    }

    [Fact]
    public void Fallback_uses_the_last_log_lines_only_on_failure()
    {
        File.WriteAllText(Message, "");
        File.WriteAllLines(Log, Enumerable.Range(1, 100).Select(i => $"line {i}"));
        var message = TerminationMessage.Read(MessagePath, LogPath, "FallbackToLogsOnError", 2, 4096, 80)!;
        message.Split('\n').Should().HaveCount(80).And.StartWith("line 21").And.EndWith("line 100");
        TerminationMessage.Read(MessagePath, LogPath, "FallbackToLogsOnError", 0, 4096, 80).Should().BeNull("success never falls back");
        TerminationMessage.Read(MessagePath, LogPath, "File", 2, 4096, 80).Should().BeNull("the default policy reads only the file");
    }

    [Fact]
    public void A_termination_file_replaced_by_a_link_is_not_read_through()
    {
        var outside = Directory.CreateTempSubdirectory("termlog-outside-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(outside, "id_rsa"), "PRIVATE KEY");
            File.CreateSymbolicLink(Message, Path.Combine(outside, "id_rsa"));
            File.WriteAllText(Log, "log\n");
            var message = TerminationMessage.Read(MessagePath, LogPath, "File", 1, 4096, 80)!;
            message.Should().NotContain("PRIVATE KEY").And.Contain("is a symbolic link");
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
