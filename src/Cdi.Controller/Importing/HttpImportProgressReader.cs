using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Cdi.Api;
using Cdi.Api.Contracts;
using Cdi.Kube.Models;

namespace Cdi.Controller.Importing;

/// <summary>
/// Reads a running importer pod's <see cref="ImportProgress"/> from <c>http://{status.podIP}:{port}/progress</c>, as
/// upstream's controller reads the importer's metric from the pod: no <c>pods/log</c> access needed. Each read is
/// bounded in time (<see cref="DefaultTimeout"/>) and size (<see cref="MaxBodyBytes"/>); a pod that is not
/// running, has no address, does not answer, or answers anything but a current-version document gives null.
/// </summary>
public sealed class HttpImportProgressReader : IImportProgressReader, IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);
    public const int MaxBodyBytes = 16 * 1024;

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly int _port;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    /// <param name="http">A client to share; by default one without proxy or redirects (<see cref="CreateHttpClient"/>), disposed with the reader.</param>
    public HttpImportProgressReader(HttpClient? http = null, int port = ImportProgress.Port, TimeSpan? timeout = null, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _ownsHttp = http is null;
        _http = http ?? CreateHttpClient();
        _port = port;
        _timeout = timeout ?? DefaultTimeout;
    }

    /// <summary>Pod addresses are reached directly: a proxy from the environment must not see them, and redirects are not followed.</summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        ConnectTimeout = DefaultTimeout,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        MaxResponseHeadersLength = 16,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async ValueTask<ImportProgress?> ReadAsync(Pod pod, CancellationToken cancellationToken)
    {
        if (pod.Status?.Phase != "Running" || !IPAddress.TryParse(pod.Status.PodIP, out var address))
        {
            return null;
        }
        using var deadline = new CancellationTokenSource(_timeout, _time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var url = new UriBuilder(Uri.UriSchemeHttp, address.ToString(), _port, ImportProgress.Path).Uri;
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentLength is > MaxBodyBytes)
            {
                return null;
            }
            var body = await ReadBoundedAsync(response.Content, timeout.Token).ConfigureAwait(false);
            return body is null ? null : Parse(body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // the pod did not answer in time
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SocketException)
        {
            return null;
        }
    }

    /// <summary>The document if it is one of the current version with known values; anything else is no progress.</summary>
    public static ImportProgress? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            var progress = JsonSerializer.Deserialize(body, ApiJsonContext.Default.ImportProgress);
            return progress?.Version == ImportProgress.CurrentVersion && progress.BytesDone >= 0
                && progress.Percent is null or (>= 0 and <= 100) ? progress : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<byte[]?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxBodyBytes + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }
            return length > MaxBodyBytes ? null : buffer[..length];
        }
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
