using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Converters;
using Cdi.Importer.Core.Network;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Progress;
using Cdi.Importer.Core.Sources;
using Cdi.Testing;

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
