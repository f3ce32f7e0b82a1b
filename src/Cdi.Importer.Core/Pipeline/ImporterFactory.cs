using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Converters;
using Cdi.Importer.Core.Network;
using Cdi.Importer.Core.Sources;

namespace Cdi.Importer.Core.Pipeline;

/// <summary>The importer as every command builds it: real HTTP, real qemu-img, default decoder limits, the system clock.</summary>
public static class ImporterFactory
{
    public static ImageImporter Create(HttpClient http, HttpSourceOptions? httpOptions = null, RemoteSourceOptions? remote = null) =>
        new(new ImageSourceFactory(http, httpOptions, TimeProvider.System, remote), new QemuImg(), DecoderLimits.Default, TimeProvider.System);
}
