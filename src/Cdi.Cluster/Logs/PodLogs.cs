using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.FileSafety;
using Cdi.Cluster.Storage;
using Microsoft.AspNetCore.Http;

namespace Cdi.Cluster.Logs;

/// <summary>
/// <c>GET .../pods/{name}/log</c> from the files the pod runner writes (<see cref="PodPaths.LogFile"/>), with
/// <c>container</c>, <c>tailLines</c>, <c>previous</c> and <c>follow</c> (until the pod is Succeeded, Failed or gone).
/// </summary>
internal sealed class PodLogs(string clusterDirectory, TimeProvider clock, CancellationToken serverStopping)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public async Task ServeAsync(HttpContext context, ObjectStore store, ResourceRequest r)
    {
        var ns = r.Namespace ?? "";
        var name = r.Name!;
        var key = new ObjectKey("pods", ns, name);
        var pod = store.Get(key) ?? throw ApiErrors.NotFound(r.Definition, name);
        var containers = (pod["spec"]?["containers"] as JsonArray ?? []).Concat(pod["spec"]?["initContainers"] as JsonArray ?? [])
            .Select(c => c?["name"]?.GetValue<string>() ?? "").ToList();
        var container = context.Request.Query["container"].ToString();
        if (container.Length == 0)
        {
            var main = (pod["spec"]?["containers"] as JsonArray ?? []).Select(c => c?["name"]?.GetValue<string>() ?? "").ToList();
            container = main.Count == 1 ? main[0]
                : throw ApiErrors.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(" ", main)}]");
        }
        else if (!containers.Contains(container, StringComparer.Ordinal))
        {
            throw ApiErrors.BadRequest($"container {container} is not valid for pod {name}");
        }
        if (context.Request.Query["previous"].ToString() is "true" or "1")
        {
            var previous = Contained(() => PodPaths.PreviousLog(clusterDirectory, ns, name, container));
            if (!previous.Exists)
            {
                throw ApiErrors.BadRequest($"previous terminated container \"{container}\" in pod \"{name}\" not found");
            }
            context.Response.ContentType = "text/plain";
            await CopyFromAsync(previous, 0, context.Response.Body, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        var path = Contained(() => PodPaths.Log(clusterDirectory, ns, name, container));
        if (!path.Exists && pod["status"]?["phase"]?.ToString() is null or "Pending")
        {
            throw ApiErrors.BadRequest($"container \"{container}\" in pod \"{name}\" is waiting to start: ContainerCreating");
        }
        var follow = context.Request.Query["follow"].ToString() is "true" or "1";
        var tail = int.TryParse(context.Request.Query["tailLines"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        var body = context.Response.Body;
        // A follow ends with the server too, so shutting down does not wait for followers to hang up.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, serverStopping);
        var ct = linked.Token;
        long offset = 0;
        if (path.Exists)
        {
            offset = await WriteInitialAsync(path, tail, body, ct).ConfigureAwait(false);
        }
        if (!follow)
        {
            return;
        }
        await body.FlushAsync(ct).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var current = store.Get(key);
                var finished = current is null || current["status"]?["phase"]?.ToString() is "Succeeded" or "Failed";
                offset = await CopyFromAsync(path, offset, body, ct).ConfigureAwait(false);
                if (finished)
                {
                    return;
                }
                await Task.Delay(PollInterval, clock, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The client stopped following.
        }
    }

    private static async Task<long> WriteInitialAsync(ContainedPath path, int tail, Stream body, CancellationToken ct)
    {
        if (tail < 0)
        {
            return await CopyFromAsync(path, 0, body, ct).ConfigureAwait(false);
        }
        await using var file = Open(path);
        var length = file.Length;
        var text = await new StreamReader(file, Encoding.UTF8).ReadToEndAsync(ct).ConfigureAwait(false);
        var lines = text.Split('\n');
        // A trailing newline leaves an empty last element that is not a line.
        var count = text.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        var start = Math.Max(0, count - tail);
        var selected = string.Join('\n', lines[start..count]) + (count > start && text.EndsWith('\n') ? "\n" : "");
        await body.WriteAsync(Encoding.UTF8.GetBytes(selected), ct).ConfigureAwait(false);
        return length;
    }

    private static async Task<long> CopyFromAsync(ContainedPath path, long offset, Stream body, CancellationToken ct)
    {
        if (!path.Exists)
        {
            return offset;
        }
        await using var file = Open(path);
        if (file.Length <= offset)
        {
            return offset;
        }
        file.Seek(offset, SeekOrigin.Begin);
        await file.CopyToAsync(body, ct).ConfigureAwait(false);
        await body.FlushAsync(ct).ConfigureAwait(false);
        return file.Position;
    }

    // A link where a log should be is not followed: its target could be any file of the cluster's user.
    private static FileStream Open(ContainedPath path)
    {
        try
        {
            return path.OpenRead(useAsync: true);
        }
        catch (UnsafePathException e)
        {
            throw ApiErrors.BadRequest(e.Message);
        }
    }

    // Names come from the URL and the stored pod: one that is not a plain file name has no log (and names no file).
    private static ContainedPath Contained(Func<ContainedPath> build)
    {
        try
        {
            return build().RefuseLinks();
        }
        catch (UnsafePathException e)
        {
            throw ApiErrors.BadRequest(e.Message);
        }
    }
}
