using System.Buffers;
using System.Security.Cryptography;
using Cdi.Api.Contracts;
using Cdi.Api.Upload;
using Cdi.Importer.Core.Checksums;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Progress;
using Cdi.Worker.Importing;
using Cdi.Worker.Results;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Cdi.Worker.Uploading;

/// <summary>
/// The upload server of one claim: verifies the bearer token (its own claim, signed by the cluster's key), takes one
/// upload at a time into an <see cref="UploadSession"/>, and ends once an upload is in the volume. As upstream: a
/// concurrent upload gets 503, an upload after success 409, a failed synchronous upload leaves the server ready for
/// another. Beyond upstream: an interrupted upload keeps what it received (HEAD tells the offset) and continues with
/// <c>Content-Range</c>; an <see cref="UploadPaths.ChecksumHeader"/> is verified before anything is reported complete.
/// </summary>
/// <param name="unusedHttp">The importer's source factory wants a client; an upload server never downloads.</param>
internal sealed class UploadServer(UploadServerSpec spec, ECDsa tokenKey, TimeProvider time, IProgressSink progress, HttpClient unusedHttp,
    CancellationToken stopping)
{
    private const int BufferSize = 1 << 20;

    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<(ImporterResult Result, int ExitCode)> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private UploadSession? _session;
    private bool _receiving;
    private bool _done;

    private string Claim => $"{spec.Namespace}/{spec.ClaimName}";

    /// <summary>Completes with the termination result once an upload succeeded, or an asynchronous one failed after its 200.</summary>
    public Task<(ImporterResult Result, int ExitCode)> Finished => _finished.Task;

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (path == "/healthz")
        {
            await Text(context, 200, "OK").ConfigureAwait(false);
            return;
        }
        if (UploadPaths.Mode(path) is not { } mode)
        {
            await Text(context, 404, $"no upload path {path}").ConfigureAwait(false);
            return;
        }
        if (!HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsPost(context.Request.Method))
        {
            await Text(context, 405, "upload paths take POST (and HEAD for the offset)").ConfigureAwait(false);
            return;
        }
        if (Unauthorized(context) is { } why)
        {
            await Text(context, 401, why).ConfigureAwait(false);
            return;
        }
        if (HttpMethods.IsHead(context.Request.Method))
        {
            // virtctl's probe for upload-async; for a resuming client, how much of its upload is already here.
            lock (_gate)
            {
                SetOffsetHeaders(context, _session);
            }
            context.Response.StatusCode = 200;
            return;
        }
        try
        {
            await PostAsync(context, mode).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left while waiting for its answer; the session carries on.
        }
    }

    private string? Unauthorized(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return "an upload needs Authorization: Bearer <token> (create an UploadTokenRequest for the claim)";
        }
        if (UploadTokens.Validate(header["Bearer ".Length..].Trim(), tokenKey, time.GetUtcNow(), spec.TokenOperation, out var problem) is not { } claims)
        {
            return problem;
        }
        if (claims.Namespace != spec.Namespace || claims.Name != spec.ClaimName)
        {
            return $"the upload token is for claim {claims.Namespace}/{claims.Name}, not {Claim}";
        }
        // A clone stream's token names this very claim, not a deleted namesake's.
        return spec.TokenOperation == UploadTokenClaims.CloneStreamOperation && claims.Params?.GetValueOrDefault("uid") != spec.Importer?.OwnerUid
            ? $"the clone token is for another claim {Claim} (uid {claims.Params?.GetValueOrDefault("uid")})"
            : null;
    }

    private async Task PostAsync(HttpContext context, UploadMode mode)
    {
        var request = context.Request;
        var form = mode is UploadMode.FormSync or UploadMode.FormAsync;
        if (request.Headers[UploadPaths.ContentTypeHeader].ToString() is "filesystem-clone" or "blockdevice-clone")
        {
            await Text(context, 400, "clone streams are not taken by this upload server").ConfigureAwait(false);
            return;
        }
        ExpectedChecksum? checksum = null;
        if (request.Headers[UploadPaths.ChecksumHeader].ToString() is { Length: > 0 } sum)
        {
            try
            {
                checksum = ExpectedChecksum.Parse(sum);
            }
            catch (ImportException e)
            {
                await Text(context, 400, $"{UploadPaths.ChecksumHeader}: {e.Message}").ConfigureAwait(false);
                return;
            }
        }
        ContentRange? range = null;
        if (request.Headers.ContentRange.ToString() is { Length: > 0 } rangeText)
        {
            string? problem = null;
            range = form ? null : ContentRange.Parse(rangeText, out problem);
            if (range is null)
            {
                await Text(context, 400, form ? "a form upload cannot resume: resume with a plain body and Content-Range" : problem!).ConfigureAwait(false);
                return;
            }
        }

        UploadSession? session = null;
        UploadSession? superseded = null;
        (int Status, string Message)? refusal = null;
        lock (_gate)
        {
            if (_done)
            {
                refusal = (409, $"the upload into claim {Claim} already completed: it cannot be uploaded again");
            }
            else if (_receiving)
            {
                refusal = (503, $"another upload into claim {Claim} is in progress: one at a time");
            }
            else if (_session is { Source.IsComplete: true })
            {
                refusal = (503, $"the upload into claim {Claim} is received and being processed");
            }
            else if (range is not null)
            {
                if (_session is not { } current || current.Source.Received != range.First || current.Source.Length != range.Total)
                {
                    refusal = (416, _session is null
                        ? $"no interrupted upload into claim {Claim} to continue: start at byte 0 without Content-Range"
                        : $"the upload into claim {Claim} continues at byte {_session.Source.Received} of {_session.Source.Length?.ToString() ?? "an unknown total"}, not at {range}");
                    SetOffsetHeaders(context, _session);
                }
                else if (checksum is not null && current.Checksum?.Text != checksum.Text)
                {
                    refusal = (409, $"{UploadPaths.ChecksumHeader} differs from the one the interrupted upload started with");
                }
                else
                {
                    session = current;
                }
            }
            else
            {
                superseded = _session;
                session = _session = new UploadSession(form ? null : request.ContentLength, checksum);
            }
            _receiving = refusal is null;
        }
        if (refusal is { } r)
        {
            await Text(context, r.Status, r.Message).ConfigureAwait(false);
            return;
        }
        Received outcome;
        try
        {
            if (range is null)
            {
                if (superseded is not null)
                {
                    await superseded.SupersedeAsync().ConfigureAwait(false);
                }
                session!.Start(spec.Importer!, unusedHttp, progress, stopping);
                _ = session.Result.ContinueWith(t => Ended(session, t), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
            outcome = await ReceiveAsync(context, session!, form).ConfigureAwait(false);
            if (outcome == Received.Interrupted)
            {
                Console.Error.WriteLine($"upload into {Claim} interrupted at byte {session!.Source.Received}: a resume continues there with Content-Range");
                return;
            }
            if (outcome == Received.Partial)
            {
                SetOffsetHeaders(context, session);
                await Text(context, 202, $"received {session!.Source.Received} of {session.Source.Length} bytes: send the rest with Content-Range").ConfigureAwait(false);
                return;
            }
        }
        finally
        {
            lock (_gate)
            {
                _receiving = false;
            }
        }
        await AnswerAsync(context, mode, session!, importerFailed: outcome == Received.ImporterFailed).ConfigureAwait(false);
    }

    private enum Received
    {
        All,
        Partial,
        Interrupted,
        ImporterFailed,
    }

    private static async Task<Received> ReceiveAsync(HttpContext context, UploadSession session, bool form)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var body = form ? await FilePartAsync(context).ConfigureAwait(false) : context.Request.Body;
            if (body is null)
            {
                session.Source.Abort(new ImportException(ImportFailureReason.InvalidArgument, "the form has no part named \"file\""));
                return Received.ImporterFailed;
            }
            int n;
            while ((n = await body.ReadAsync(buffer.AsMemory(0, BufferSize), context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                await session.Source.WriteAsync(buffer.AsMemory(0, n), context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (ImportException)
        {
            // The importer stopped (it refused the bytes, or more came than announced): its result says why.
            return Received.ImporterFailed;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // The client's connection broke: what arrived stays, in order, for a resume.
            return Received.Interrupted;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (session.Source.Length is { } total && session.Source.Received < total)
        {
            return Received.Partial;
        }
        session.Source.Complete();
        return Received.All;
    }

    private static async Task<Stream?> FilePartAsync(HttpContext context)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(context.Request.ContentType ?? "").Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            throw new ImportException(ImportFailureReason.InvalidArgument, "a form upload needs Content-Type multipart/form-data with a boundary");
        }
        var reader = new MultipartReader(boundary, context.Request.Body);
        while (await reader.ReadNextSectionAsync(context.RequestAborted).ConfigureAwait(false) is { } section)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                && HeaderUtilities.RemoveQuotes(disposition.Name).Value == "file")
            {
                return section.Body;
            }
        }
        return null;
    }

    /// <summary>Async uploads without a checksum are answered once received; the others when the importer is done.</summary>
    private async Task AnswerAsync(HttpContext context, UploadMode mode, UploadSession session, bool importerFailed)
    {
        bool wait;
        lock (_gate)
        {
            wait = mode is UploadMode.Sync or UploadMode.FormSync || session.Checksum is not null || importerFailed;
            session.Awaited = wait;
        }
        if (!wait)
        {
            await Text(context, 200, $"upload received ({session.Source.Received} bytes): processing continues; the claim's cdi.kubevirt.io/storage.pod.phase turns Succeeded when done").ConfigureAwait(false);
            return;
        }
        try
        {
            var result = await session.Result.WaitAsync(context.RequestAborted).ConfigureAwait(false);
            await Text(context, 200, session.Checksum is { } sum ? $"upload complete: {result.VirtualSize} bytes in claim {Claim}, {sum.Text} verified" : $"upload complete: {result.VirtualSize} bytes in claim {Claim}").ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            var failure = UploadSession.Failure(e);
            lock (_gate)
            {
                // The claim is as it was before: another upload may try.
                if (_session == session)
                {
                    _session = null;
                }
            }
            Console.Error.WriteLine($"upload into {Claim} failed: {failure.Message}");
            await Text(context, Status(failure.Reason), failure.Message).ConfigureAwait(false);
        }
    }

    /// <summary>An upload's importer ended: a success finishes the server; so does a failure nobody waits to be told of.</summary>
    private void Ended(UploadSession session, Task<ImportResult> task)
    {
        lock (_gate)
        {
            if (task.IsCompletedSuccessfully)
            {
                _done = true;
                _finished.TrySetResult((ImporterResults.Success(task.Result, "Upload Complete"), 0));
            }
            else if (!session.Awaited && session.Source.IsComplete && _session == session)
            {
                _finished.TrySetResult(ImporterResults.Failure(UploadSession.Failure(task.Exception?.InnerException)));
            }
        }
    }

    private static int Status(ImportFailureReason reason) => ImportFailureReasons.ExitCode(reason) switch
    {
        2 or 5 or 6 or 7 => 400,
        130 => 409,
        _ => 500,
    };

    private static void SetOffsetHeaders(HttpContext context, UploadSession? session)
    {
        context.Response.Headers[UploadPaths.OffsetHeader] = (session?.Source.Received ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (session?.Source.Length is { } length)
        {
            context.Response.Headers[UploadPaths.LengthHeader] = length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static async Task Text(HttpContext context, int status, string line)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(line.ReplaceLineEndings(" ") + "\n", context.RequestAborted).ConfigureAwait(false);
    }
}
