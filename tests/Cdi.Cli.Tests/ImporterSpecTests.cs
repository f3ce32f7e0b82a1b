using System.Text.Json;
using Cdi.Testing;

namespace Cdi.Cli.Tests;

/// <summary><c>cdi-worker importer</c> refuses a spec it cannot trust: one error line, exit 2, and a dedicated InvalidSpec result.</summary>
public sealed class ImporterSpecTests : IDisposable
{
    private readonly TempDirectory _ws = new();

    public void Dispose() => _ws.Dispose();

    [Theory]
    [InlineData("""{"source":"blank:","target":"/data","size":1048576}""", "has no version")]
    [InlineData("""{"version":2,"source":"blank:","target":"/data","size":1048576}""", "version 2 is not supported")]
    [InlineData("""{"version":1,"source":"blank:","target":"/data","size":1048576,"filesystemOverhead":1}""", "filesystemOverhead 1 is out of range")]
    [InlineData("""{"version":1,"source":"blank:","target":"/data","size":1048576,"filesystemOverhead":-0.1}""", "filesystemOverhead -0.1 is out of range")]
    [InlineData("""{"version":1,"source":"blank:","target":"/data","size":1048576,"filesystemOverhead":"0.06"}""", "not valid JSON")]
    [InlineData("""{"version":1,"source":"blank:","target":"/data","size":-5}""", "size -5 is negative")]
    [InlineData("""{"version":1,"source":"blank:","target":"/data","size":1048576,"contentType":"tarball"}""", "contentType")]
    [InlineData("""not json""", "not valid JSON")]
    public void A_bad_spec_is_refused_with_one_line_and_an_invalid_spec_result(string spec, string why)
    {
        Directory.CreateDirectory(_ws.File("data"));
        var o = ProcessRunner.Run(RepoPaths.WorkerBinary(), ["importer"], environment: new Dictionary<string, string>
        {
            ["CDI_IMPORTER_SPEC"] = spec,
            ["CDI_MOUNT_DATA"] = _ws.File("data"),
            ["CDI_TERMINATION_LOG"] = _ws.File("termination-log"),
        }, timeout: TimeSpan.FromMinutes(10));
        o.ExitCode.Should().Be(2, o.Stderr);
        var errors = CdiCli.ErrorLines(o).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        errors.Should().ContainSingle().Which.Should().Contain(why);
        var result = JsonDocument.Parse(File.ReadAllText(_ws.File("termination-log"))).RootElement;
        result.GetProperty("version").GetInt32().Should().Be(1);
        result.GetProperty("reason").GetString().Should().Be("InvalidSpec");
        result.GetProperty("retryable").GetBoolean().Should().BeFalse();
        result.GetProperty("message").GetString().Should().Contain(why);
        Directory.EnumerateFileSystemEntries(_ws.File("data")).Should().BeEmpty("nothing is written from a refused spec");
    }
}
