using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Converters;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Progress;
using Cdi.Importer.Core.Sources;

namespace Cdi.Importer.Core.Tests.Registry;

/// <summary>The importer as the CLI builds it, with registry and S3 options.</summary>
public static class RegistryHarness
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None });

    public static Task<ImportResult> RunAsync(ImportRequest request, RemoteSourceOptions options) =>
        new ImageImporter(new ImageSourceFactory(Http, remote: options), new QemuImg(), DecoderLimits.Default, TimeProvider.System)
            .ImportAsync(request, new NullProgressSink(), CancellationToken.None);

    public static async Task<ImportException> FailAsync(ImportRequest request, RemoteSourceOptions options)
    {
        var act = () => RunAsync(request, options);
        return (await act.Should().ThrowAsync<ImportException>()).Which;
    }
}
