using Cdi.Importer.Core.Network;
using System.CommandLine;
using System.Globalization;
using Cdi.Cli.Progress;
using Cdi.Importer.Core.Checksums;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Progress;
using Cdi.Kube.Models;

namespace Cdi.Cli.Commands;

internal static class ImportCommand
{
    public static Command Create()
    {
        var source = new Option<string>("--source") { Description = "http(s)://, docker://, s3:// or file:// URL, or a local path, of the image", Required = true };
        var target = new Option<string>("--target") { Description = "Filesystem: directory for disk.img; Block: the device or file", Required = true };
        var size = new Option<string>("--size") { Description = "Volume size: a Kubernetes quantity (10Gi, 512Mi, 1G) or bytes", Required = true };
        var volumeMode = new Option<string>("--volume-mode") { Description = "Filesystem (default) or Block", DefaultValueFactory = _ => "Filesystem" };
        volumeMode.AcceptOnlyFromAmong("Filesystem", "Block");
        var contentType = new Option<string>("--content-type") { Description = "kubevirt (a disk image, default) or archive (a tar to unpack)", DefaultValueFactory = _ => "kubevirt" };
        contentType.AcceptOnlyFromAmong("kubevirt", "archive");
        var checksum = new Option<string?>("--checksum") { Description = "ALGO:HEX (md5, sha1, sha256, sha512) of the bytes as served" };
        var overhead = new Option<string>("--filesystem-overhead") { Description = "Share of a Filesystem volume kept for the file system (default 0.06)", DefaultValueFactory = _ => "0.06" };
        var scratch = new Option<string?>("--scratch") { Description = "Directory for the seekable copy some formats need (default: inside the target)" };
        var preallocation = new Option<bool>("--preallocation") { Description = "Allocate the whole volume instead of leaving holes" };
        var progress = new Option<string>("--progress") { Description = "auto, bar, json or none", DefaultValueFactory = _ => "auto" };
        progress.AcceptOnlyFromAmong("auto", "bar", "json", "none");
        var certDir = new Option<string?>("--cert-dir") { Description = "Directory of extra trusted CA certificates (tls.crt, ca.crt, *.pem)" };
        var insecure = new Option<bool>("--insecure-skip-tls-verify") { Description = "Accept any server certificate (unsafe)" };
        var secretDir = new Option<string?>("--secret-dir") { Description = "Directory with files accessKeyId and secretKey: basic auth, sent only to the source's host" };
        var header = new Option<string[]>("--header") { Description = "Extra request header 'Name: value', sent only to the source's host (repeatable)", AllowMultipleArgumentsPerToken = false };
        var proxy = new Option<string?>("--proxy") { Description = "HTTP proxy URL (default: https_proxy/http_proxy; no_proxy lists bypasses)" };
        var idleTimeout = new Option<int?>("--idle-timeout") { Description = "Seconds without a received byte before a download counts as broken and is resumed (default 60); there is no total timeout" };
        var denyPrivate = new Option<bool>("--deny-private-networks") { Description = "Refuse loopback, link-local, private, CGNAT and ULA addresses, as importer pods do" };

        var remote = new RemoteSourceCliOptions();

        var command = new Command("import", "Import a disk image into a volume directory (disk.img) or block device");
        foreach (var o in new Option[] { source, target, size, volumeMode, contentType, checksum, overhead, scratch, preallocation, progress, certDir, insecure, secretDir, header, proxy, denyPrivate, idleTimeout })
        {
            command.Options.Add(o);
        }
        remote.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var request = new ImportRequest(
                    parse.GetValue(source)!,
                    parse.GetValue(target)!,
                    ParseSize(parse.GetValue(size)!),
                    parse.GetValue(volumeMode) == "Block" ? VolumeMode.Block : VolumeMode.Filesystem,
                    parse.GetValue(contentType) == "archive" ? ContentType.Archive : ContentType.Kubevirt,
                    parse.GetValue(checksum) is { } c ? ExpectedChecksum.Parse(c) : null,
                    ParseOverhead(parse.GetValue(overhead)!),
                    parse.GetValue(scratch),
                    parse.GetValue(preallocation));
                var sink = CreateSink(parse.GetValue(progress)!);
                var network = new NetworkSettings
                {
                    CertDir = parse.GetValue(certDir),
                    InsecureSkipTlsVerify = parse.GetValue(insecure),
                    SecretDir = parse.GetValue(secretDir),
                    Headers = parse.GetValue(header) ?? [],
                    Proxy = parse.GetValue(proxy) ?? EnvironmentProxy(),
                    NoProxy = Environment.GetEnvironmentVariable("no_proxy") ?? Environment.GetEnvironmentVariable("NO_PROXY"),
                    Guard = parse.GetValue(denyPrivate) ? NetworkGuard.PrivateNetworks : NetworkGuard.Off,
                    IdleTimeoutSeconds = parse.GetValue(idleTimeout),
                };
                var httpOptions = network.ToOptions(sink is JsonProgressSink ? null : retry => Console.Error.WriteLine($"warning: {OneLine(retry.Cause)}; retrying in {retry.Delay.TotalSeconds:0.#} s"));
                using var http = ImportHttpClient.Create(httpOptions);
                var importer = ImporterFactory.Create(http, httpOptions, remote.Read(parse, parse.GetValue(certDir), parse.GetValue(secretDir)));
                var result = await importer.ImportAsync(request, sink, cancellationToken).ConfigureAwait(false);
                Console.Out.WriteLine(Summary(result));
                return 0;
            }
            catch (ImportException e)
            {
                Console.Error.WriteLine($"error: {OneLine(e.Message)}");
                return ImportFailureReasons.ExitCode(e.Reason);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("error: import cancelled");
                return ImportFailureReasons.ExitCode(ImportFailureReason.Cancelled);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {OneLine(e.Message)}");
                return ImportFailureReasons.ExitCode(ImportFailureReason.TargetError);
            }
        });
        return command;
    }

    /// <summary>The usual proxy variables; one proxy serves both schemes.</summary>
    private static readonly string[] ProxyVariables = ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"];

    private static string? EnvironmentProxy() =>
        ProxyVariables.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    /// <summary>The volume size in bytes: Kubernetes' quantity grammar, rounded up to whole bytes, positive.</summary>
    private static long ParseSize(string text)
    {
        if (!Quantity.TryParse(text, out var quantity, out var error))
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"--size: {error}");
        }
        if (quantity.Sign <= 0)
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"--size: \"{text}\" is not a positive size");
        }
        try
        {
            return quantity.ToBytes();
        }
        catch (OverflowException)
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"--size: \"{text}\" is larger than 8 EiB");
            throw;
        }
    }

    private static decimal ParseOverhead(string text)
    {
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < 0 || value >= 1)
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"invalid filesystem overhead \"{text}\": use a fraction from 0 up to (not including) 1, such as 0.06");
        }
        return value;
    }

    private static IProgressSink CreateSink(string mode) => mode switch
    {
        "json" => new JsonProgressSink(Console.Error),
        "bar" => new BarProgressSink(Console.Error),
        "auto" when !Console.IsErrorRedirected => new BarProgressSink(Console.Error),
        _ => new NullProgressSink(),
    };

    private static string Summary(ImportResult r)
    {
        var codecs = r.Compression.Count == 0 ? "" : " (" + string.Join("+", r.Compression.Select(DecodedInput.Name)) + ")";
        var what = r.Format is { } f ? $"{f.ToString().ToLowerInvariant()}{codecs}, virtual size {r.VirtualSize}" : $"archive{codecs}, {r.BytesWritten} bytes";
        var checksum = r.Checksum is null ? "" : $", checksum {r.Checksum} verified";
        var from = r.SourceUsed is { } used && !used.StartsWith('/') ? $" from {used}" : "";
        return $"imported {what}{from} into {r.OutputPath} (capacity {r.Capacity}{checksum})";
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
