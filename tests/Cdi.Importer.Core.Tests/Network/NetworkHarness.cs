using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Converters;
using Cdi.Importer.Core.Network;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Progress;
using Cdi.Importer.Core.Sources;
using Cdi.Testing;
using Cdi.Testing.Http;
using Cdi.Testing.Time;

namespace Cdi.Importer.Core.Tests.Network;

/// <summary>Imports over the real network stack (<see cref="ImportHttpClient"/>) with per-test options, into a fresh target.</summary>
public sealed class NetworkHarness : IDisposable
{
    public const long VolumeSize = 16L << 20;

    /// <summary>Retries as in production but with millisecond waits: the schedule is tested with a manual clock elsewhere.</summary>
    public static HttpSourceOptions FastRetries(List<HttpRetry>? retries = null) => new()
    {
        Retry = new HttpRetryPolicy { InitialDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(4), MaxAttempts = 5 },
        OnRetry = retries is null ? null : r => { lock (retries) { retries.Add(r); } },
    };

    /// <summary>
    /// Runs an import against a server that goes quiet once (<see cref="FaultHttpServer.Stalls"/>) and has the idle
    /// timeout pass on a manual clock only after the server stopped sending: a machine pausing the real download can
    /// never be mistaken for the stall, and the stall is never waited out in real time.
    /// </summary>
    public async Task RunThroughOneStallAsync(FaultHttpServer server, List<HttpRetry> retries, Checksums.ExpectedChecksum? checksum = null)
    {
        var clock = new ManualTimeProvider();
        // The backoff's timer exists before OnRetry runs, so advancing from it ends the wait at once.
        var options = FastRetries() with
        {
            IdleTimeout = TimeSpan.FromMinutes(1),
            OnRetry = r => { lock (retries) { retries.Add(r); } clock.Advance(r.Delay); },
        };
        var run = RunAsync(server.Url(), options, clock, checksum);
        (await Poll.UntilAsync(() => server.Stalls > 0 || run.IsCompleted, TimeSpan.FromSeconds(60))).Should().BeTrue("the server goes quiet");
        // The client re-arms its idle timer after each read, so one advance may come before the last re-arm; advance
        // again until the stall is seen, and never once it has been (the resumed download runs on a still clock).
        (await Poll.UntilAsync(() =>
        {
            lock (retries)
            {
                if (retries.Count == 0 && !run.IsCompleted)
                {
                    clock.Advance(options.IdleTimeout);
                }
                return retries.Count > 0 || run.IsCompleted;
            }
        }, TimeSpan.FromSeconds(60))).Should().BeTrue("the stall is detected");
        await run;
    }

    public TempDirectory Workspace { get; } = new("cdi-net");

    public string Target => Workspace.File("target");

    public string Disk => Path.Combine(Target, "disk.img");

    public Task<ImportResult> RunAsync(string url, HttpSourceOptions options, TimeProvider? time = null, Checksums.ExpectedChecksum? checksum = null) =>
        RunAsync(new ImportRequest(url, Target, VolumeSize, FilesystemOverhead: 0m, Checksum: checksum), options, time);

    public static async Task<ImportResult> RunAsync(ImportRequest request, HttpSourceOptions options, TimeProvider? time = null, DecoderLimits? limits = null)
    {
        using var http = ImportHttpClient.Create(options);
        var clock = time ?? TimeProvider.System;
        var importer = new ImageImporter(new ImageSourceFactory(http, options, clock), new QemuImg(), limits ?? DecoderLimits.Default, clock);
        return await importer.ImportAsync(request, new NullProgressSink(), CancellationToken.None);
    }

    /// <summary>The import must fail with an <see cref="ImportException"/> and leave the target empty (no disk.img, no temporary file).</summary>
    public async Task<ImportException> FailsCleanlyAsync(string url, HttpSourceOptions options)
    {
        var act = () => RunAsync(url, options);
        var e = (await act.Should().ThrowAsync<ImportException>()).Which;
        File.Exists(Disk).Should().BeFalse();
        if (Directory.Exists(Target))
        {
            Directory.EnumerateFileSystemEntries(Target).Should().BeEmpty("a failed import leaves nothing behind");
        }
        e.Message.Should().NotContain("\n");
        return e;
    }

    /// <summary>disk.img must be <paramref name="expected"/>'s bytes followed by zeros up to the volume size.</summary>
    public void DiskShouldHold(byte[] expected)
    {
        var reference = Workspace.File("reference.raw");
        File.WriteAllBytes(reference, expected);
        TestImages.CompareWithReference(Disk, reference, VolumeSize).Should().BeNull();
    }

    public void Dispose() => Workspace.Dispose();
}
