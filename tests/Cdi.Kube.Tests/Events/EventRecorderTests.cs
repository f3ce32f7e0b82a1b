using Cdi.Kube.Events;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;
using Cdi.Kube.Tests.Support;

namespace Cdi.Kube.Tests.Events;

[Collection(LocalClusterCollection.Name)]
public sealed class EventRecorderTests(LocalClusterFixture cluster)
{
    private KubeClient Client => cluster.Client;

    private async Task<List<Event>> EventsAsync(string ns) => (await Client.ListAsync(KubeResources.Events, ns)).Items;

    [Fact]
    public async Task A_background_recorder_queues_and_its_sender_writes_what_a_direct_one_writes_at_once()
    {
        var ns = await cluster.NewNamespaceAsync();
        var about = await Client.CreateAsync(KubeResources.ConfigMaps, new ConfigMap { Metadata = new ObjectMeta { Name = "about", Namespace = ns } }, ns);

        await new EventRecorder(Client, "direct").RecordAsync(about, EventRecorder.Normal, "Direct", "written before the call returns");
        (await EventsAsync(ns)).Should().ContainSingle(e => e.Reason == "Direct" && e.InvolvedObject!.Uid == about.Metadata.Uid);

        var queued = new EventRecorder(Client, "queued", background: true);
        await queued.RecordAsync(about, EventRecorder.Warning, "Queued", "sent by the background sender");
        (await EventsAsync(ns)).Should().NotContain(e => e.Reason == "Queued", "nothing is sent until the sender runs");

        using var stop = new CancellationTokenSource();
        var sender = queued.RunAsync(stop.Token);
        (await Cdi.Testing.Poll.UntilAsync(async () => (await EventsAsync(ns)).Any(e => e.Reason == "Queued" && e.Type == "Warning"), TimeSpan.FromSeconds(30)))
            .Should().BeTrue("the sender writes the queued event");
        await stop.CancelAsync();
        await sender;
    }
}
