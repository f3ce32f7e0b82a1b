using System.Collections.Concurrent;
using Cdi.Api.Contracts;
using Cdi.Controller.Importing;
using Cdi.Kube.Models;

namespace Cdi.Controller.Tests;

public sealed class ImportProgressCacheTests
{
    private sealed class ScriptedReader : IImportProgressReader
    {
        public ConcurrentDictionary<string, ImportProgress?> Answers { get; } = new();

        public ValueTask<ImportProgress?> ReadAsync(Pod pod, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Answers.GetValueOrDefault(pod.Metadata.Uid!));
    }

    private static Pod Pod(string uid) => new() { Metadata = new ObjectMeta { Name = "importer-" + uid, Namespace = "ns", Uid = uid } };

    [Fact]
    public async Task A_changed_report_is_kept_and_announced_once_and_a_silent_pod_keeps_its_last()
    {
        var reader = new ScriptedReader();
        var cache = new ImportProgressCache(reader, TimeProvider.System);
        var changed = new ConcurrentBag<string>();
        var a = Pod("a");
        var b = Pod("b");
        reader.Answers["a"] = new ImportProgress { Version = 1, BytesDone = 10 };
        reader.Answers["b"] = null;

        await cache.PollOnceAsync([a, b], p => changed.Add(p.Metadata.Uid!), CancellationToken.None);
        cache.Get(a)!.BytesDone.Should().Be(10);
        cache.Get(b).Should().BeNull("b has not answered yet");
        changed.Should().Equal("a");

        await cache.PollOnceAsync([a, b], p => changed.Add(p.Metadata.Uid!), CancellationToken.None);
        changed.Should().HaveCount(1, "the same report is no news");

        reader.Answers["a"] = null;
        await cache.PollOnceAsync([a], p => changed.Add(p.Metadata.Uid!), CancellationToken.None);
        cache.Get(a)!.BytesDone.Should().Be(10, "an unanswered poll keeps the last report");

        reader.Answers["a"] = new ImportProgress { Version = 1, BytesDone = 20 };
        await cache.PollOnceAsync([a], p => changed.Add(p.Metadata.Uid!), CancellationToken.None);
        cache.Get(a)!.BytesDone.Should().Be(20);
        changed.Should().HaveCount(2);

        await cache.PollOnceAsync([], p => changed.Add(p.Metadata.Uid!), CancellationToken.None);
        cache.Get(a).Should().BeNull("a pod that stopped running is forgotten");
    }
}
