using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Converters;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Progress;
using Cdi.Importer.Core.Sources;

namespace Cdi.Importer.Core.Tests.Pipeline;

/// <summary>The importer as the CLI builds it, with real HTTP and the real qemu-img.</summary>
public static class ImportHarness
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None })
    {
        Timeout = TimeSpan.FromMinutes(5),
    };

    public static Task<ImportResult> RunAsync(ImportRequest request, IProgressSink? sink = null) =>
        new ImageImporter(new ImageSourceFactory(Http), new QemuImg(), DecoderLimits.Default, TimeProvider.System)
            .ImportAsync(request, sink ?? new NullProgressSink(), CancellationToken.None);

    public static async Task<ImportException> FailAsync(ImportRequest request)
    {
        var act = () => RunAsync(request);
        var e = await act.Should().ThrowAsync<ImportException>();
        return e.Which;
    }
}
