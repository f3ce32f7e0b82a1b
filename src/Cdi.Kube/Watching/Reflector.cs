using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Kube.Watching;

/// <summary>
/// Keeps a sink in step with the server: list, then watch from the list's resourceVersion; every event and bookmark
/// advances the version, so a dropped connection resumes where it stopped without losing or repeating events.
/// A 410 Gone (the version was compacted away) makes it list again.
/// </summary>
public sealed class Reflector<T> where T : class
{
    private readonly KubeClient _client;
    private readonly ResourceType<T> _type;
    private readonly string? _namespace;
    private readonly IReflectorSink<T> _sink;
    private readonly ReflectorOptions _options;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _connection;
    private string? _resourceVersion;
    private long _lists;
    private long _connections;
    private int _consecutiveFailures;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;

    public Reflector(KubeClient client, ResourceType<T> type, string? @namespace, IReflectorSink<T> sink, ReflectorOptions? options = null)
    {
        _client = client;
        _type = type;
        _namespace = @namespace;
        _sink = sink;
        _options = options ?? new ReflectorOptions();
    }

    /// <summary>The version the next watch resumes from.</summary>
    public string? LastResourceVersion { get { lock (_gate) return _resourceVersion; } }

    /// <summary>How many times it listed (1 + relists after 410).</summary>
    public long ListCount => Interlocked.Read(ref _lists);

    /// <summary>How many watch connections it opened.</summary>
    public long WatchConnectionCount => Interlocked.Read(ref _connections);

    /// <summary>Whether the last list or watch failed, and why: what health checks report.</summary>
    public ReflectorStatus Status
    {
        get { lock (_gate) return new ReflectorStatus(_consecutiveFailures, _lastError, _lastErrorAt); }
    }

    /// <summary>Drops the current watch connection; the reflector reconnects from <see cref="LastResourceVersion"/>.</summary>
    public void Reconnect()
    {
        lock (_gate) _connection?.Cancel();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var needList = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    await ListAsync(cancellationToken).ConfigureAwait(false);
                    needList = false;
                }
                await WatchAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.IsGone)
            {
                needList = true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException)
            {
                // Reconnect() or a request timeout: resume from the last version at once.
            }
            catch (Exception e) when (e is HttpRequestException or IOException or KubeApiException or System.Text.Json.JsonException)
            {
                var delay = RecordFailure(e);
                try
                {
                    await Task.Delay(delay, _client.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Remembers the failure and returns the wait before the next try: doubling per consecutive failure, capped.</summary>
    private TimeSpan RecordFailure(Exception e)
    {
        lock (_gate)
        {
            _consecutiveFailures++;
            _lastError = $"{e.GetType().Name}: {e.Message}";
            _lastErrorAt = _client.TimeProvider.GetUtcNow();
            var ticks = _options.ErrorBackoff.Ticks * Math.Pow(2, Math.Min(_consecutiveFailures - 1, 16));
            return TimeSpan.FromTicks((long)Math.Min(ticks, _options.MaxErrorBackoff.Ticks));
        }
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? version = null;
        var options = new ListOptions { LabelSelector = _options.LabelSelector, FieldSelector = _options.FieldSelector, Limit = _options.ListPageSize };
        await foreach (var page in _client.ListPagesAsync(_type, _namespace, options, cancellationToken).ConfigureAwait(false))
        {
            items.AddRange(page.Items);
            // The first page's version is the snapshot the continue tokens keep reading from.
            version ??= page.Metadata.ResourceVersion;
        }
        Interlocked.Increment(ref _lists);
        lock (_gate)
        {
            _resourceVersion = version;
            _consecutiveFailures = 0;
        }
        _sink.Replace(items, version ?? "");
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        string? from;
        lock (_gate)
        {
            _connection = connection;
            from = _resourceVersion;
        }
        Interlocked.Increment(ref _connections);
        try
        {
            var options = new WatchOptions
            {
                ResourceVersion = from,
                LabelSelector = _options.LabelSelector,
                FieldSelector = _options.FieldSelector,
                AllowWatchBookmarks = true,
                TimeoutSeconds = _options.WatchTimeoutSeconds,
            };
            await foreach (var e in _client.WatchAsync(_type, _namespace, options, connection.Token).ConfigureAwait(false))
            {
                var version = ObjectMetaAccessor.Get(e.Object).ResourceVersion;
                if (e.Type != WatchEventType.Bookmark) _sink.Apply(e);
                lock (_gate)
                {
                    if (!string.IsNullOrEmpty(version)) _resourceVersion = version;
                    _consecutiveFailures = 0;
                }
            }
            // The server ended the watch as asked (its timeout): the connection was healthy.
            lock (_gate) _consecutiveFailures = 0;
        }
        finally
        {
            lock (_gate) _connection = null;
        }
    }
}
