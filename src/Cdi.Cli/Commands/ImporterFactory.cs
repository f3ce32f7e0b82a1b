using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Converters;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Sources;

namespace Cdi.Cli.Commands;

/// <summary>The importer as every command builds it: real HTTP, real qemu-img, default decoder limits, the system clock.</summary>
internal static class ImporterFactory
{
    public static ImageImporter Create(HttpClient http, RemoteSourceOptions? remote = null) =>
        new(new ImageSourceFactory(http, remote), new QemuImg(), DecoderLimits.Default, TimeProvider.System);
}
