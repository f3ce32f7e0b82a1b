using Cdi.Api.Contracts;
using Cdi.Worker.Importing;
using Cdi.Importer.Core.Checksums;
using Cdi.Importer.Core.Converters;
using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Progress;
using Cdi.Importer.Core.Sources;
using Cdi.Importer.Core.Sources.Push;

namespace Cdi.Worker.Uploading;

/// <summary>
/// One upload attempt: its bytes go into a <see cref="PushSource"/> that the ordinary importer reads, so uploads are
/// inspected, decompressed and converted exactly like imports. It may span several requests (a resume continues at
/// <see cref="PushSource.Received"/>); it ends when the importer ends.
/// </summary>
internal sealed class UploadSession
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public UploadSession(long? length, ExpectedChecksum? checksum)
    {
        Source = new PushSource(length);
        Checksum = checksum;
    }

    public PushSource Source { get; }

    public ExpectedChecksum? Checksum { get; }

    /// <summary>The import's outcome: a result to report, or the failure that ended it.</summary>
    public Task<ImportResult> Result { get; private set; } = Task.FromException<ImportResult>(new InvalidOperationException("not started"));

    /// <summary>True when a request waits for <see cref="Result"/> and will report it (sync, or async with a checksum).</summary>
    public bool Awaited { get; set; }

    /// <summary>Starts the importer on this session's bytes; a failure aborts the push side so its writer stops at once.</summary>
    public void Start(ImporterSpec spec, HttpClient unusedHttp, IProgressSink progress, CancellationToken cancellationToken)
    {
        var importer = new ImageImporter(new ImageSourceFactory(unusedHttp, push: Source), new QemuImg(), DecoderLimits.Default, TimeProvider.System);
        var request = ImporterCommand.ToRequest(spec, Checksum) with { Source = PushSource.Scheme };
        Result = Task.Run(() => importer.ImportAsync(request, progress, cancellationToken), CancellationToken.None);
        Result.ContinueWith(t => Source.Abort(Failure(t.Exception?.InnerException)), CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        _started.TrySetResult();
    }

    /// <summary>Ends the session as superseded by a new upload and waits until its importer has cleaned its target up.</summary>
    public async Task SupersedeAsync()
    {
        Source.Abort(new ImportException(ImportFailureReason.Cancelled, "a new upload replaced this interrupted one"));
        await _started.Task.ConfigureAwait(false);
        try
        {
            await Result.ConfigureAwait(false);
        }
        catch (Exception e) when (e is ImportException or IOException or OperationCanceledException)
        {
            // Expected: it was aborted.
        }
    }

    public static ImportException Failure(Exception? e) => e switch
    {
        ImportException i => i,
        IOException or UnauthorizedAccessException => new ImportException(ImportFailureReason.TargetError, e.Message, e),
        OperationCanceledException => new ImportException(ImportFailureReason.Cancelled, "the upload server is stopping", e),
        _ => new ImportException(ImportFailureReason.Internal, $"{e?.GetType().Name}: {e?.Message}", e),
    };
}
