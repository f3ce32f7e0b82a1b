using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Converters;
using Cdi.Importer.Core.Network;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Progress;
using Cdi.Importer.Core.Sources;

namespace Cdi.Importer.Core.Tests.S3;

/// <summary>An importer wired as the CLI wires it (network options and remote-source options) for S3 tests against test servers.</summary>
internal sealed class S3Importer(HttpSourceOptions httpOptions, RemoteSourceOptions remote) : IDisposable
{
    private readonly HttpClient _http = ImportHttpClient.Create(httpOptions);

    public Task<ImportResult> RunAsync(string source, string target) =>
        new ImageImporter(new ImageSourceFactory(_http, httpOptions, TimeProvider.System, remote), new QemuImg(), DecoderLimits.Default, TimeProvider.System)
            .ImportAsync(new ImportRequest(source, target, 64L << 20, FilesystemOverhead: 0m), new NullProgressSink(), CancellationToken.None);

    public void Dispose() => _http.Dispose();
}
