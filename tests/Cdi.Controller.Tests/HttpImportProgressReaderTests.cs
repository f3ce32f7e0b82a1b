using System.Text;
using Cdi.Api.Contracts;
using Cdi.Controller.Importing;
using Cdi.Kube.Models;
using Cdi.Testing;
using Cdi.Testing.Http;
using Cdi.Testing.Time;

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
        using var server = new FaultHttpServer(_ => new FaultReply { Silent = true });
        var clock = new ManualTimeProvider();
        using var reader = new HttpImportProgressReader(port: server.Port, time: clock);
        var read = reader.ReadAsync(RunningAt("127.0.0.1"), CancellationToken.None).AsTask();
        (await Poll.UntilAsync(() => server.Stalls > 0, TimeSpan.FromMinutes(1))).Should().BeTrue("the request reaches the silent pod");
        read.IsCompleted.Should().BeFalse("nothing gives up before the timeout passes");

        clock.Advance(HttpImportProgressReader.DefaultTimeout);

        // The guard only keeps a broken reader from hanging the suite; the clock above is what ends the read.
        (await read.WaitAsync(TimeSpan.FromMinutes(1))).Should().BeNull();
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
