using System.Diagnostics;
using System.Text.Json;
using Cdi.Api.Contracts;
using Cdi.Controller.Importing;
using Cdi.Kube.Models;
using Cdi.Testing;
using Cdi.Testing.Http;

namespace Cdi.Cli.Tests;

/// <summary>
/// A real <c>cdi-worker importer</c> serves its progress on its pod IP while it imports, and the controller's reader reads
/// it there: the channel that replaces scraping pod logs.
/// </summary>
public sealed class ImporterProgressTests : IDisposable
{
    private const long ImageSize = 16L << 20;
    private const long Served = 6L << 20;
    private readonly TempDirectory _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task The_importer_serves_typed_progress_and_the_metric_on_its_pod_ip_during_an_import()
    {
        // The first run of ./cdi after a source change builds it; that must not eat the wait for progress below.
        CdiCli.Run("--help").ExitCode.Should().Be(0);
        var raw = File.ReadAllBytes(TestImages.CreateRaw(_ws.File("disk.raw"), ImageSize));
        // The source sends part of the image and then stalls: the import is visibly under way for as long as the test needs.
        // No Range: one connection, so nothing beyond Served arrives (ranged sources are read over several at once).
        using var server = new FaultHttpServer(r => FaultReply.File(r, raw, honourRange: false) with { StallAfter = Served });
        Directory.CreateDirectory(_ws.File("data"));
        var podIP = $"127.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(0, 256)}.{Random.Shared.Next(1, 255)}";
        var spec = JsonSerializer.Serialize(new
        {
            version = 1, source = server.Url(), target = "/data", size = 64L << 20, allowedNetworks = new[] { "127.0.0.0/8" },
            idleTimeoutSeconds = 600, ownerUid = "0b5f3c1e-claim-uid",
        });
        var psi = new ProcessStartInfo(RepoPaths.WorkerBinary()) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("importer");
        psi.Environment["CDI_IMPORTER_SPEC"] = spec;
        psi.Environment["CDI_MOUNT_DATA"] = _ws.File("data");
        psi.Environment["CDI_TERMINATION_LOG"] = _ws.File("termination-log");
        psi.Environment[ImportProgress.PodIpVariable] = podIP;
        var process = Process.Start(psi)!;
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            using var reader = new HttpImportProgressReader();
            var pod = new Pod { Status = new PodStatus { Phase = "Running", PodIP = podIP } };
            ImportProgress? progress = null;
            // A generous bound for a loaded machine; the wait ends as soon as bytes are reported.
            await Poll.UntilAsync(async () =>
            {
                progress = await reader.ReadAsync(pod, CancellationToken.None);
                return progress is { BytesDone: > 0 } || process.HasExited;
            }, TimeSpan.FromMinutes(3));
            progress.Should().NotBeNull($"the importer serves progress on {podIP}; its stderr: {stderr}");
            progress!.Version.Should().Be(ImportProgress.CurrentVersion);
            progress.BytesDone.Should().BeInRange(1, Served);
            progress.BytesTotal.Should().Be(ImageSize);
            progress.Percent.Should().BeInRange(0, 100.0 * Served / ImageSize);
            progress.Phase.Should().NotBe(ImportProgressPhase.Complete);

            using var http = HttpImportProgressReader.CreateHttpClient();
            var metrics = await http.GetStringAsync(new Uri($"http://{podIP}:{ImportProgress.Port}{ImportProgress.MetricsPath}"));
            metrics.Should().MatchRegex("""kubevirt_cdi_import_progress_total\{ownerUID="0b5f3c1e-claim-uid"\} \d{1,3}(\.\d+)?\n""");
        }
        finally
        {
            ProcessRunner.Stop(process);
        }
    }
}
