using System.CommandLine;
using Cdi.Cli.Demo;
using Cdi.Cli.Progress;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Progress;

namespace Cdi.Cli.Commands;

/// <summary>
/// The main job end to end on this machine: make a qcow2 disk, serve it over local HTTP, import it, and prove the
/// volume holds exactly the disk's bytes.
/// </summary>
internal static class DemoCommand
{
    private const long DiskSize = 256L << 20;
    private const long VolumeSize = 512L << 20;

    public static Command Create()
    {
        var keep = new Option<bool>("--keep") { Description = "Keep the demo's files (printed at the end)" };
        var demo = new Command("demo", "Import a generated qcow2 disk over a local HTTP server and verify the volume");
        demo.Options.Add(keep);
        demo.SetAction(async (parse, cancellationToken) =>
        {
            var work = Path.Combine(Path.GetTempPath(), $"cdi-demo-{Guid.NewGuid():N}");
            Directory.CreateDirectory(work);
            try
            {
                return await RunAsync(work, cancellationToken).ConfigureAwait(false);
            }
            catch (ImportException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ImportFailureReasons.ExitCode(e.Reason);
            }
            finally
            {
                if (parse.GetValue(keep))
                {
                    Console.WriteLine($"files kept in {work}");
                }
                else
                {
                    Directory.Delete(work, recursive: true);
                }
            }
        });
        return demo;
    }

    private static async Task<int> RunAsync(string work, CancellationToken cancellationToken)
    {
        var served = Directory.CreateDirectory(Path.Combine(work, "www")).FullName;
        var raw = Path.Combine(work, "guest.raw");
        Console.WriteLine($"1. making a {DiskSize >> 20} MiB guest disk and converting it to qcow2 with qemu-img");
        DemoDisk.Write(raw, DiskSize);
        var qcow2 = Path.Combine(served, "guest.qcow2");
        await DemoDisk.QemuImgAsync(["convert", "-f", "raw", "-O", "qcow2", "-c", raw, qcow2], cancellationToken).ConfigureAwait(false);

        await using var server = await LocalFileServer.StartAsync(served, cancellationToken).ConfigureAwait(false);
        var url = new Uri(server.BaseUrl, "guest.qcow2");
        var volume = Path.Combine(work, "volume");
        Console.WriteLine($"2. serving it at {url}");
        Console.WriteLine($"3. ./cdi import --source {url} --target {volume} --size {VolumeSize >> 20}Mi");

        using var http = HttpClientFactory.Create();
        var importer = ImporterFactory.Create(http);
        IProgressSink sink = Console.IsErrorRedirected ? new PhaseLogSink(Console.Out) : new BarProgressSink(Console.Error);
        var result = await importer.ImportAsync(new ImportRequest(url.ToString(), volume, VolumeSize), sink, cancellationToken).ConfigureAwait(false);

        Console.WriteLine($"4. verifying {result.OutputPath}");
        var expected = await DemoDisk.HashAsync(raw, DiskSize, cancellationToken).ConfigureAwait(false);
        var actual = await DemoDisk.HashAsync(result.OutputPath, DiskSize, cancellationToken).ConfigureAwait(false);
        var tailZero = await DemoDisk.IsZeroAfterAsync(result.OutputPath, DiskSize, cancellationToken).ConfigureAwait(false);
        var length = new FileInfo(result.OutputPath).Length;
        var ok = expected.SequenceEqual(actual) && tailZero && length == result.Capacity;
        Console.WriteLine($"   guest bytes sha256 {Convert.ToHexStringLower(expected)}");
        Console.WriteLine($"   volume bytes       {Convert.ToHexStringLower(actual)}");
        Console.WriteLine($"   disk.img is {length} bytes (the usable size of a {VolumeSize >> 20} MiB volume), zeros after the guest disk: {tailZero}");
        Console.WriteLine(ok ? "demo: verified — the volume holds exactly the guest disk" : "demo: FAILED verification");
        return ok ? 0 : 1;
    }
}
