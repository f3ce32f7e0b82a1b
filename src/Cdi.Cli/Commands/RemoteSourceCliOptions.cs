using System.CommandLine;
using Cdi.Importer.Core.Sources;
using Cdi.Importer.Core.Sources.Registry;

namespace Cdi.Cli.Commands;

/// <summary><c>cdi import</c> options for registry and S3 sources.</summary>
internal sealed class RemoteSourceCliOptions
{
    private readonly Option<string[]> _insecure = new("--insecure-registry")
    {
        Description = "Registry host[:port] that may use plain HTTP or unverified TLS (repeatable); every other registry must verify TLS",
    };

    private readonly Option<string[]> _mirrors = new("--registry-mirror")
    {
        Description = "REGISTRY=MIRROR[/PREFIX], tried before the registry (repeatable), such as docker.io=harbor.internal/proxy",
    };

    private readonly Option<string?> _platform = new("--platform") { Description = "Platform to pick from a multi-platform image: ARCH or OS/ARCH[/VARIANT] (default linux/amd64)" };

    private readonly Option<string?> _s3Endpoint = new("--s3-endpoint") { Description = "Endpoint URL for s3://BUCKET/KEY sources, addressed path-style (default AWS)" };

    public void AddTo(Command command)
    {
        command.Options.Add(_insecure);
        command.Options.Add(_mirrors);
        command.Options.Add(_platform);
        command.Options.Add(_s3Endpoint);
    }

    public RemoteSourceOptions Read(ParseResult parse, string? certDir, string? secretDir) => new(
        certDir,
        secretDir,
        parse.GetValue(_insecure) ?? [],
        (parse.GetValue(_mirrors) ?? []).Select(RegistryMirror.Parse).ToList(),
        parse.GetValue(_platform),
        parse.GetValue(_s3Endpoint));
}
