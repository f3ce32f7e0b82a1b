using System.Diagnostics;
using System.Text;
using Cdi.Api.Contracts;
using Cdi.Controller.Importing;
using Cdi.Kube.Models;
using Cdi.Testing.Http;

namespace Cdi.Controller.Tests;

/// <summary>The controller's progress reader: a current document from the pod's address, or null — never a hang, never unbounded.</summary>
public sealed class HttpImportProgressReaderTests
{
    private static Pod RunningAt(string? ip, string phase = "Running") => new() { Status = new PodStatus { Phase = phase, PodIP = ip } };

    private static async Task<ImportProgress?> ReadFrom(FaultReply reply, TimeSpan? timeout = null)
    {
        using var server = new FaultHttpServer(_ => reply);
        using var reader = new HttpImportProgressReader(port: server.Port, timeout: timeout);
        var progress = await reader.ReadAsync(RunningAt("127.0.0.1"), CancellationToken.None);
        server.Requests.Should().ContainSingle().Which.Target.Should().Be(ImportProgress.Path);
        return progress;
    }

    private static FaultReply Json(string body) => new FaultReply { Body = Encoding.UTF8.GetBytes(body) }.WithHeader("Content-Type", "application/json");

    [Fact]
    public async Task A_current_document_is_read()
    {
        var progress = await ReadFrom(Json("""{"version":1,"phase":"TransferDataFile","bytesDone":1048576,"bytesTotal":4194304,"bytesWritten":1000000,"percent":25,"bytesPerSecond":524288.5}"""));
        progress.Should().BeEquivalentTo(new ImportProgress
        {
            Version = 1, Phase = ImportProgressPhase.TransferDataFile, BytesDone = 1048576, BytesTotal = 4194304, BytesWritten = 1000000,
            Percent = 25, BytesPerSecond = 524288.5,
        });
    }

    [Theory]
    [InlineData("""{"phase":"Convert","bytesDone":1}""")]
    [InlineData("""{"version":2,"phase":"Convert","bytesDone":1}""")]
    [InlineData("""{"version":1,"phase":"Teleport","bytesDone":1}""")]
    [InlineData("""{"version":1,"phase":3,"bytesDone":1}""")]
    [InlineData("""{"version":1,"phase":"Convert","bytesDone":1,"percent":150}""")]
    [InlineData("""{"version":1,"phase":"Convert","bytesDone":-1}""")]
    [InlineData("""kubevirt_cdi_import_progress_total{ownerUID="x"} 45""")]
    public async Task Anything_but_a_current_known_document_is_no_progress(string body) =>
        (await ReadFrom(Json(body))).Should().BeNull();

    [Fact]
    public async Task An_error_status_is_no_progress() =>
        (await ReadFrom(FaultReply.WithStatus(500, "Internal Server Error"))).Should().BeNull();

    [Fact]
    public async Task An_oversized_body_is_refused_unread() =>
        (await ReadFrom(Json("""{"version":1,"phase":"Convert","bytesDone":1, "pad":" """ + new string(' ', 64 * 1024) + "\"}"))).Should().BeNull();

    [Fact]
    public async Task A_pod_that_does_not_answer_costs_at_most_the_timeout()
    {
        var watch = Stopwatch.StartNew();
        (await ReadFrom(new FaultReply { Silent = true }, TimeSpan.FromMilliseconds(300))).Should().BeNull();
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(null, "Running")]
    [InlineData("not-an-ip", "Running")]
    [InlineData("127.0.0.1", "Pending")]
    [InlineData("127.0.0.1", "Succeeded")]
    public async Task A_pod_without_an_address_or_not_running_is_not_asked(string? ip, string phase)
    {
        using var server = new FaultHttpServer(_ => Json("""{"version":1,"phase":"Convert","bytesDone":1}"""));
        using var reader = new HttpImportProgressReader(port: server.Port);
        (await reader.ReadAsync(RunningAt(ip, phase), CancellationToken.None)).Should().BeNull();
        server.Requests.Should().BeEmpty();
    }
}
