using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Cdi.Api.Upload;

namespace Cdi.Cli.UploadClient;

/// <summary>
/// The transfer through the upload proxy: virtctl's HEAD probe, then the POST; after a dropped connection (or a
/// server still busy with the dropped one) it asks the server how much it holds and continues from there with
/// <c>Content-Range</c>. Retries are bounded: a run of failures without progress gives up.
/// </summary>
internal sealed class ProxyUpload(HttpClient http, Uri proxy, string token, UploadOptions options, SentBytes sent, TimeProvider time, TextWriter log)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(8);

    /// <summary>Sends the whole file; returns the server's final answer line.</summary>
    public async Task<string> SendAsync(string checksum, long total, CancellationToken ct)
    {
        var (asyncPath, offset) = await ProbeAsync(first: true, ct).ConfigureAwait(false);
        var url = new Uri(proxy, asyncPath ? "/v1beta1/upload-async" : "/v1beta1/upload");
        var failures = 0;
        while (true)
        {
            string problem;
            var before = offset;
            try
            {
                using var post = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FileRangeContent(options.ImagePath, offset, total, sent) };
                post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                FileRangeContent.AddChecksum(post, checksum);
                using var response = await http.SendAsync(post, ct).ConfigureAwait(false);
                var answer = OneLine(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
                switch (response.StatusCode)
                {
                    case HttpStatusCode.OK:
                        return answer;
                    case HttpStatusCode.Accepted:
                    case HttpStatusCode.RequestedRangeNotSatisfiable when Offset(response) is not null:
                        // Part of it arrived, or the server holds another amount than assumed: continue where it says.
                        offset = Offset(response) ?? (await ProbeAsync(false, ct).ConfigureAwait(false)).Offset;
                        problem = answer;
                        break;
                    case HttpStatusCode.ServiceUnavailable:
                    case HttpStatusCode.BadGateway:
                    case HttpStatusCode.GatewayTimeout:
                        // Still busy with a dropped upload, or the pod is (re)starting: wait and look again.
                        problem = answer;
                        offset = (await ProbeAsync(false, ct).ConfigureAwait(false)).Offset;
                        break;
                    default:
                        throw new UploadFailure($"upload refused ({(int)response.StatusCode}): {answer}");
                }
            }
            catch (HttpRequestException e) when (!ct.IsCancellationRequested)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"connection lost after byte {sent.Position} ({OneLine(e.InnerException?.Message ?? e.Message)})");
                offset = (await ProbeAsync(false, ct).ConfigureAwait(false)).Offset;
            }
            catch (IOException e) when (!ct.IsCancellationRequested)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"connection lost after byte {sent.Position} ({OneLine(e.Message)})");
                offset = (await ProbeAsync(false, ct).ConfigureAwait(false)).Offset;
            }
            sent.Set(offset);
            // On a line of its own, below the bar: what happened and where the next attempt starts.
            log.WriteLine();
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{problem}; resuming from byte {offset}"));
            failures = offset > before ? 0 : failures + 1;
            if (failures > options.MaxRetries)
            {
                throw new UploadFailure($"upload gave up after {options.MaxRetries} retries without progress: {problem}");
            }
            var backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks << Math.Min(Math.Max(failures, 1) - 1, 10)));
            await Task.Delay(backoff, time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>HEAD upload-async: 200 means the async path is there; its offset header says how much of this upload the server holds.</summary>
    private async Task<(bool Async, long Offset)> ProbeAsync(bool first, CancellationToken ct)
    {
        using var head = new HttpRequestMessage(HttpMethod.Head, new Uri(proxy, "/v1beta1/upload-async"));
        head.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await http.SendAsync(head, ct).ConfigureAwait(false);
            return (response.StatusCode == HttpStatusCode.OK, Offset(response) ?? 0);
        }
        catch (HttpRequestException e) when (first && !ct.IsCancellationRequested)
        {
            throw new UploadFailure($"cannot reach the upload proxy at {proxy}: {OneLine(e.InnerException?.Message ?? e.Message)}");
        }
        catch (HttpRequestException) when (!ct.IsCancellationRequested)
        {
            // Unreachable right now: the next POST attempt (counted as a retry) says how things stand.
            return (true, sent.Position);
        }
    }

    private static long? Offset(HttpResponseMessage response) =>
        response.Headers.TryGetValues(UploadPaths.OffsetHeader, out var values)
        && long.TryParse(values.First(), NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : null;

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
