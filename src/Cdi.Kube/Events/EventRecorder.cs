using System.Globalization;
using System.Threading.Channels;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Kube.Events;

/// <summary>
/// Writes core/v1 Events about objects, as controllers do. Failures to record are swallowed: events are advisory.
/// With <c>background</c> (what a controller wants, as client-go's broadcaster does), <see cref="RecordAsync"/> only
/// queues the event and <see cref="RunAsync"/> sends it, so a reconcile never waits on an event's round trip; a full
/// queue (an API server that cannot keep up) drops new events rather than grow.
/// </summary>
public sealed class EventRecorder
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    private readonly KubeClient _client;
    private readonly string _component;
    private readonly Channel<Event>? _queue;

    public EventRecorder(KubeClient client, string component, bool background = false, int capacity = 4096)
    {
        _client = client;
        _component = component;
        _queue = background
            ? Channel.CreateBounded<Event>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite })
            : null;
    }

    public Task RecordAsync(IKubeObject about, string type, string reason, string message, CancellationToken cancellationToken = default)
    {
        var evt = Build(about, type, reason, message);
        if (_queue is null)
        {
            return SendAsync(evt, cancellationToken);
        }
        _queue.Writer.TryWrite(evt);
        return Task.CompletedTask;
    }

    /// <summary>Sends queued events until <paramref name="cancellationToken"/> fires (background mode; returns at once otherwise).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_queue is null)
        {
            return;
        }
        try
        {
            await foreach (var evt in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await SendAsync(evt, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private Event Build(IKubeObject about, string type, string reason, string message)
    {
        var meta = about.Metadata;
        var now = _client.TimeProvider.GetUtcNow();
        var ns = string.IsNullOrEmpty(meta.Namespace) ? "default" : meta.Namespace;
        return new Event
        {
            // Name shape as kubectl shows it: "<object>.<unique hex>".
            Metadata = new ObjectMeta { Name = $"{meta.Name}.{now.UtcTicks.ToString("x", CultureInfo.InvariantCulture)}", Namespace = ns },
            InvolvedObject = new ObjectReference
            {
                ApiVersion = about.ApiVersion, Kind = about.Kind, Name = meta.Name, Namespace = meta.Namespace, Uid = meta.Uid,
                ResourceVersion = meta.ResourceVersion,
            },
            Type = type,
            Reason = reason,
            Message = message,
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
            Source = new EventSource { Component = _component },
            ReportingComponent = _component,
        };
    }

    private async Task SendAsync(Event evt, CancellationToken cancellationToken)
    {
        try
        {
            await _client.CreateAsync(KubeResources.Events, evt, evt.Metadata.Namespace, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException)
        {
            // An event that cannot be written must not fail the work it describes.
        }
    }
}
