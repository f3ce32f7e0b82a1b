using Cdi.Testing;
using System.Net;
using System.Text.Json;

namespace Cdi.Cli.Tests.Crash;

/// <summary>
/// Lists then watches one resource across all namespaces and hands every change to a callback, in order. A broken
/// stream (the API server restarting, say) resumes from the last resourceVersion seen, so no change is missed; a
/// 410 Gone relists and hands over the full list. Observation only: it never writes.
/// </summary>
internal sealed class ResourceWatch : IAsyncDisposable
{
    private readonly ClusterApi _api;
    private readonly string _path;
    private readonly Action<string, JsonElement> _onEvent;
    private readonly Action<IReadOnlyList<JsonElement>> _onList;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _listed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _run;

    /// <param name="path">The collection, e.g. <c>/api/v1/pods</c>.</param>
    /// <param name="onEvent">ADDED, MODIFIED or DELETED with the object.</param>
    /// <param name="onList">The complete current list (first, and after a relist).</param>
    public ResourceWatch(ClusterApi api, string path, Action<string, JsonElement> onEvent, Action<IReadOnlyList<JsonElement>> onList)
    {
        (_api, _path, _onEvent, _onList) = (api, path, onEvent, onList);
        _run = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>How many times the stream broke and was resumed (or relisted).</summary>
    public int Reconnects { get; private set; }

    /// <summary>Waits (bounded) for the first list, so what follows is observed.</summary>
    public Task WaitListedAsync(TimeSpan timeout) => _listed.Task.WaitAsync(timeout);

    private async Task RunAsync(CancellationToken stop)
    {
        string? version = null;
        // Paces reconnects while the server is away, so a broken stream is not retried in a hot loop.
        using var pace = new PeriodicTimer(Cdi.Testing.Poll.Interval);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                version ??= await ListAsync(stop);
                version = await WatchAsync(version, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (GoneException)
            {
                version = null;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or JsonException or OperationCanceledException)
            {
                // The server went away (restart) or the stream broke: resume from the last version once it answers.
            }
            Reconnects++;
            try
            {
                await pace.WaitForNextTickAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<string> ListAsync(CancellationToken stop)
    {
        using var response = await _api.Http.GetAsync(_path, stop);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(stop));
        var items = doc.RootElement.GetProperty("items").EnumerateArray().Select(i => i.Clone()).ToList();
        _onList(items);
        _listed.TrySetResult();
        return doc.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString()!;
    }

    /// <summary>Streams events from <paramref name="version"/> until the server ends the stream; returns the last version seen.</summary>
    private async Task<string> WatchAsync(string version, CancellationToken stop)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_path}?watch=1&allowWatchBookmarks=true&resourceVersion={version}");
        using var response = await _api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
        if (response.StatusCode == HttpStatusCode.Gone)
        {
            throw new GoneException();
        }
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop));
        while (await reader.ReadLineAsync(stop) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            using var doc = JsonDocument.Parse(line);
            var type = doc.RootElement.GetProperty("type").GetString()!;
            var obj = doc.RootElement.GetProperty("object");
            if (type == "ERROR")
            {
                if (obj.TryGetProperty("code", out var code) && code.GetInt32() == 410)
                {
                    throw new GoneException();
                }
                throw new IOException("watch error: " + obj.GetRawText());
            }
            version = obj.GetProperty("metadata").GetProperty("resourceVersion").GetString() ?? version;
            if (type != "BOOKMARK")
            {
                _onEvent(type, obj.Clone());
            }
        }
        return version;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
    }

    private sealed class GoneException : Exception;
}
