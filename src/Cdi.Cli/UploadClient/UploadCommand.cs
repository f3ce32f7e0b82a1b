using System.CommandLine;
using System.Runtime.InteropServices;
using Cdi.Cli.Progress;
using Cdi.Importer.Core.Checksums;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Progress;
using Cdi.Kube.Config;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Cli.UploadClient;

/// <summary><c>cdi upload</c>: a local disk image into an upload DataVolume, as <c>virtctl image-upload dv</c>, resuming after drops.</summary>
internal static class UploadCommand
{
    public static Command Create()
    {
        var dv = new Option<string>("--dv") { Description = "The DataVolume to upload into (created when missing unless --no-create)", Required = true };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Its namespace (default: the kubeconfig context's)" };
        var image = new Option<string>("--image-path") { Description = "The local file to upload (qcow2, raw, compressed, or a tar for archive volumes)", Required = true };
        var size = new Option<string?>("--size") { Description = "Size of a DataVolume to create: a Kubernetes quantity (10Gi)" };
        var storageClass = new Option<string?>("--storage-class") { Description = "Storage class of a DataVolume to create (default: the cluster's default)" };
        var accessMode = new Option<string?>("--access-mode") { Description = "Access mode of a DataVolume to create (default: from the storage profile)" };
        accessMode.AcceptOnlyFromAmong("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod");
        var noCreate = new Option<bool>("--no-create") { Description = "Fail rather than create a missing DataVolume" };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Kubeconfig file (default: $KUBECONFIG, ~/.kube/config)" };
        var context = new Option<string?>("--context") { Description = "Kubeconfig context" };
        var proxyUrl = new Option<string?>("--uploadproxy-url") { Description = "The upload proxy (default: CDIConfig status.uploadProxyURL)" };
        var insecure = new Option<bool>("--insecure") { Description = "Accept any certificate from the upload proxy (default: trust the kubeconfig's CA)" };
        var checksum = new Option<string?>("--checksum") { Description = "ALGO:HEX (md5, sha1, sha256, sha512) the server verifies (default: sha256 computed here)" };
        var waitSeconds = new Option<int>("--wait-secs") { Description = "Seconds to wait for the upload pod, and for the result", DefaultValueFactory = _ => 300 };
        var progress = new Option<string>("--progress") { Description = "auto (a bar on a terminal), bar or none", DefaultValueFactory = _ => "auto" };
        progress.AcceptOnlyFromAmong("auto", "bar", "none");
        var command = new Command("upload", "Upload a local disk image into a DataVolume through the upload proxy (as virtctl image-upload dv)")
        {
            dv, ns, image, size, storageClass, accessMode, noCreate, kubeconfig, context, proxyUrl, insecure, checksum, waitSeconds, progress,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
            try
            {
                var options = Check(new UploadOptions
                {
                    DataVolume = parse.GetValue(dv)!,
                    Namespace = parse.GetValue(ns),
                    ImagePath = parse.GetValue(image)!,
                    Size = parse.GetValue(size),
                    StorageClass = parse.GetValue(storageClass),
                    AccessMode = parse.GetValue(accessMode),
                    NoCreate = parse.GetValue(noCreate),
                    Kubeconfig = parse.GetValue(kubeconfig),
                    Context = parse.GetValue(context),
                    ProxyUrl = ProxyUrl(parse.GetValue(proxyUrl)),
                    Insecure = parse.GetValue(insecure),
                    Checksum = parse.GetValue(checksum),
                    Wait = parse.GetValue(waitSeconds) is > 0 and var s ? TimeSpan.FromSeconds(s) : throw new UploadFailure("--wait-secs must be a positive number of seconds", 2),
                });
                KubeConfig config;
                try
                {
                    config = KubeConfigLoader.Load(options.Kubeconfig, options.Context);
                }
                catch (KubeConfigException e)
                {
                    throw new UploadFailure(e.Message.ReplaceLineEndings(" "), 2);
                }
                var sink = parse.GetValue(progress) switch
                {
                    "bar" => new BarProgressSink(Console.Error),
                    "auto" when !Console.IsErrorRedirected => new BarProgressSink(Console.Error),
                    _ => (IProgressSink)new NullProgressSink(),
                };
                var summary = await new UploadRun(options, config, sink, TimeProvider.System, Console.Error).RunAsync(stop.Token).ConfigureAwait(false);
                Console.WriteLine(summary);
                return 0;
            }
            catch (UploadFailure e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return e.ExitCode;
            }
            catch (KubeApiException e)
            {
                Console.Error.WriteLine($"error: {e.Message.ReplaceLineEndings(" ")}");
                return 1;
            }
            catch (HttpRequestException e)
            {
                Console.Error.WriteLine($"error: cannot reach the cluster: {(e.InnerException?.Message ?? e.Message).ReplaceLineEndings(" ")}");
                return 1;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                Console.Error.WriteLine("error: upload cancelled (a rerun resumes it while the upload pod runs)");
                return 130;
            }
        });
        return command;
    }

    /// <summary>Everything that can be checked before the cluster is asked: wrong input is exit code 2, one line.</summary>
    private static UploadOptions Check(UploadOptions o)
    {
        if (Directory.Exists(o.ImagePath))
        {
            throw new UploadFailure($"--image-path {o.ImagePath}: is a directory, not a file", 2);
        }
        if (!File.Exists(o.ImagePath))
        {
            throw new UploadFailure($"--image-path {o.ImagePath}: no such file", 2);
        }
        if (o.Size is { } size && (!Quantity.TryParse(size, out var q, out var error) || q.Sign <= 0))
        {
            throw new UploadFailure($"--size \"{size}\": {(Quantity.TryParse(size, out _, out error) ? "not a positive size" : error)}", 2);
        }
        if (o.Checksum is { } sum)
        {
            try
            {
                return o with { Checksum = ExpectedChecksum.Parse(sum).Text };
            }
            catch (ImportException e)
            {
                throw new UploadFailure($"--checksum: {e.Message}", 2);
            }
        }
        return o;
    }

    private static Uri? ProxyUrl(string? text) =>
        text is null ? null
        : Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp) ? url
        : throw new UploadFailure($"--uploadproxy-url \"{text}\": not an http(s) URL", 2);
}
