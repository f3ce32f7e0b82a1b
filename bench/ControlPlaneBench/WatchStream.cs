using Cdi.Testing;
using System.Net;
using System.Text.Json;

namespace Cdi.Bench.ControlPlane;

/// <summary>Watches one collection from a resourceVersion, resuming where it left off when the server ends the stream.</summary>
internal sealed class WatchStream : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public WatchStream(ClusterApi api, string path, string resourceVersion, Action<string, JsonElement> onEvent) =>
        _run = Task.Run(async () =>
        {
            var version = resourceVersion;
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await api.Http.GetAsync($"{path}?watch=1&allowWatchBookmarks=true&resourceVersion={version}",
                        HttpCompletionOption.ResponseHeadersRead, _stop.Token);
                    if (response.StatusCode == HttpStatusCode.Gone)
                    {
                        throw new InvalidOperationException($"watch of {path} expired (410): the figures would miss events");
                    }
                    response.EnsureSuccessStatusCode();
                    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
                    while (await reader.ReadLineAsync(_stop.Token) is { } line)
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
                            throw new InvalidOperationException($"watch of {path} failed: {obj.GetRawText()}");
                        }
                        version = obj.GetProperty("metadata").GetProperty("resourceVersion").GetString() ?? version;
                        if (type != "BOOKMARK")
                        {
                            onEvent(type, obj);
                        }
                    }
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or IOException)
                {
                    // The stream broke: resume from the last version.
                }
            }
        });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
