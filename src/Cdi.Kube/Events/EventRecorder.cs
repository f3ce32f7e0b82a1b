using System.Globalization;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Kube.Events;

/// <summary>Writes core/v1 Events about objects, as controllers do. Failures to record are swallowed: events are advisory.</summary>
public sealed class EventRecorder(KubeClient client, string component)
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    public async Task RecordAsync(IKubeObject about, string type, string reason, string message, CancellationToken cancellationToken = default)
    {
        var meta = about.Metadata;
        var now = client.TimeProvider.GetUtcNow();
        var ns = string.IsNullOrEmpty(meta.Namespace) ? "default" : meta.Namespace;
        var evt = new Event
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
            Source = new EventSource { Component = component },
            ReportingComponent = component,
        };
        try
        {
            await client.CreateAsync(KubeResources.Events, evt, ns, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException)
        {
            // An event that cannot be written must not fail the work it describes.
        }
    }
}
