using Cdi.Testing;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cdi.Bench.ControlPlane;

// Usage: ControlPlaneBench N [--controller external|in-cluster] [--timeout-minutes M]
// N blank DataVolumes created at once on a fresh local cluster; see README.md for what each figure means.
var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
var mode = Option("--controller") ?? "external";
var timeout = TimeSpan.FromMinutes(double.Parse(Option("--timeout-minutes") ?? "10", CultureInfo.InvariantCulture));
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

var root = FindRoot();
Run(Path.Combine(root, "cdi"), ["--help"]); // builds cdi when its sources changed
var dir = Directory.CreateTempSubdirectory("cdi-cp-bench-").FullName;
var port = FreePort();
Process? controller = null;
int? metricsPort = null;
using var metricsHttp = new HttpClient();
async Task<ReconcileHistogram?> ScrapeAsync() => metricsPort is { } mp
    ? ReconcileHistogram.Parse(await metricsHttp.GetStringAsync($"http://127.0.0.1:{mp}/metrics"), "datavolume")
    : null;
CountingProxy? proxy = null;
var watches = new List<WatchStream>();
try
{
    List<string> up = ["cluster", "up", "--dir", dir, "--port", port.ToString(CultureInfo.InvariantCulture), "--detach"];
    if (mode == "external")
    {
        up.Add("--without-controller");
    }
    Run(Path.Combine(root, "cdi"), up);
    var clusterPid = int.Parse(File.ReadAllText(Path.Combine(dir, "cluster.pid")).Trim(), CultureInfo.InvariantCulture);
    using var api = new ClusterApi(Path.Combine(dir, "kubeconfig"));
    if (mode == "external")
    {
        proxy = await CountingProxy.StartAsync(api, dir);
        var proxied = Path.Combine(dir, "controller.kubeconfig");
        await File.WriteAllTextAsync(proxied, (await File.ReadAllTextAsync(Path.Combine(dir, "kubeconfig")))
            .Replace($"https://127.0.0.1:{port}", $"https://127.0.0.1:{proxy.Url.Port}", StringComparison.Ordinal));
        metricsPort = FreePort();
        controller = Start(Path.Combine(root, ".build", "cli", "cdi"), ["controller", "--kubeconfig", proxied, "--importer-image", "cdi.local/cdi:latest", "--leader-elect=false",
            "--metrics-bind-address", $"127.0.0.1:{metricsPort}"], Path.Combine(dir, "controller.log"));
    }

    // Warm-up: one DataVolume end to end, so start-up (JIT, informer sync, first pod) is not in the figures.
    await CreateNamespaceAsync(api, "warmup");
    await CreateDataVolumeAsync(api, "warmup", "w");
    await WaitAsync(async () => (await api.Http.GetStringAsync("/apis/cdi.kubevirt.io/v1beta1/namespaces/warmup/datavolumes/w")).Contains("\"Succeeded\"", StringComparison.Ordinal),
        TimeSpan.FromMinutes(3), "the warm-up DataVolume to succeed");

    const string ns = "bench";
    await CreateNamespaceAsync(api, ns);
    var clock = Stopwatch.StartNew();
    var timeline = new Timeline(ns, clock);
    var startVersion = await ResourceVersionAsync(api);
    foreach (var (kind, path) in new[]
    {
        ("datavolumes", "/apis/cdi.kubevirt.io/v1beta1/datavolumes"), ("persistentvolumeclaims", "/api/v1/persistentvolumeclaims"),
        ("persistentvolumes", "/api/v1/persistentvolumes"), ("pods", "/api/v1/pods"), ("events", "/api/v1/events"),
    })
    {
        watches.Add(new WatchStream(api, path, startVersion, (type, obj) => timeline.OnEvent(kind, type, obj)));
    }
    var requestsBefore = proxy?.Snapshot() ?? new Dictionary<string, int>();
    var reconcilesBefore = await ScrapeAsync();
    var cpuBefore = (Cluster: ProcessStats.CpuTime(clusterPid), Controller: controller is null ? TimeSpan.Zero : ProcessStats.CpuTime(controller.Id));

    // "At once": every create is sent without waiting for the controller, 16 in flight (kubectl create -f sends one at a time).
    var start = clock.Elapsed;
    await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 16 },
        async (i, ct) => await CreateDataVolumeAsync(api, ns, $"b{i:D5}"));
    var created = clock.Elapsed - start;
    await WaitAsync(() => Task.FromResult(timeline.Succeeded >= n), timeout, $"{n} DataVolumes to succeed (so far {timeline.Succeeded})");
    var allSucceeded = clock.Elapsed - start;
    // Quiet: importer pods deleted and no write seen for 2 s, so the counts include the clean-up.
    await WaitAsync(() => Task.FromResult(timeline.PodsPresent == 0 && clock.Elapsed - timeline.LastEvent > TimeSpan.FromSeconds(2)),
        TimeSpan.FromMinutes(5), "importer pods to be deleted and the cluster to go quiet");
    var endVersion = await ResourceVersionAsync(api);
    var requestsAfter = proxy?.Snapshot() ?? new Dictionary<string, int>();
    var reconciles = await ScrapeAsync() is { } after && reconcilesBefore is { } before ? after.Minus(before) : null;

    var report = new StringBuilder();
    void Line(string s) => report.AppendLine(s);
    Line($"control-plane bench: {n} blank DataVolumes, controller {mode}, {Environment.ProcessorCount} CPUs, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end");
    Line($"created (16 in flight):       {created.TotalSeconds,7:F2} s");
    Line($"all Succeeded after:          {allSucceeded.TotalSeconds,7:F2} s   (first create sent -> last Succeeded seen by a watch)");
    Line($"per DataVolume, seen by watches (event-to-reaction; includes time queued behind the other DataVolumes):");
    Line($"  created -> claim created:    {Percentiles.Format(timeline.Between("dv:created", "pvc:created"))}");
    Line($"  claim Bound -> pod created:  {Percentiles.Format(timeline.Between("pvc:Bound", "pod:created"))}");
    Line($"  pod Succeeded -> DV Succeeded: {Percentiles.Format(timeline.Between("pod:Succeeded", "dv:Succeeded"))}");
    Line($"  created -> Succeeded:        {Percentiles.Format(timeline.Between("dv:created", "dv:Succeeded"))}");
    if (reconciles is not null)
    {
        Line($"DataVolume reconcile time (controller's own histogram): {reconciles.Format()}");
    }
    var writes = timeline.Writes;
    var versions = long.Parse(endVersion, CultureInfo.InvariantCulture) - long.Parse(startVersion, CultureInfo.InvariantCulture);
    Line($"API writes per DataVolume (all writers: controller, provisioner, node; watch events in the namespace):");
    Line($"  total {writes.Values.Sum() / (double)n:F2}  ({string.Join(", ", writes.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => $"{w.Key} {w.Value / (double)n:F2}"))})");
    Line($"  resourceVersion advanced {versions} = {versions / (double)n:F2} per DataVolume (every write in the cluster, the {n} creates included)");
    if (proxy is not null)
    {
        var delta = requestsAfter.Select(r => (r.Key, Count: r.Value - requestsBefore.GetValueOrDefault(r.Key))).Where(r => r.Count > 0).OrderByDescending(r => r.Count).ToList();
        var total = delta.Sum(d => d.Count);
        var controllerWrites = delta.Where(d => d.Key.Split(' ')[0] is "create" or "update" or "patch" or "delete").Sum(d => d.Count);
        Line($"controller API requests per DataVolume (counted on the wire): {total / (double)n:F2}, of which writes {controllerWrites / (double)n:F2}");
        foreach (var (key, count) in delta)
        {
            Line($"  {key,-40} {count,8}  {count / (double)n,7:F2}/DV");
        }
    }
    Line($"peak RSS (VmHWM): cluster process {ProcessStats.PeakRssBytes(clusterPid) / 1048576.0:F0} MiB" +
        (controller is null ? " (controller inside it)" : $", controller process {ProcessStats.PeakRssBytes(controller.Id) / 1048576.0:F0} MiB"));
    Line($"CPU during the run: cluster process {(ProcessStats.CpuTime(clusterPid) - cpuBefore.Cluster).TotalSeconds:F1} s" +
        (controller is null ? "" : $", controller {(ProcessStats.CpuTime(controller.Id) - cpuBefore.Controller).TotalSeconds:F1} s") +
        " (importer processes not included)");
    Console.Write(report);
    return 0;
}
finally
{
    foreach (var w in watches)
    {
        await w.DisposeAsync();
    }
    if (controller is not null)
    {
        controller.Kill(entireProcessTree: true);
        await controller.WaitForExitAsync();
    }
    if (proxy is not null)
    {
        await proxy.DisposeAsync();
    }
    Run(Path.Combine(root, "cdi"), ["cluster", "down", "--dir", dir]);
    if (Environment.GetEnvironmentVariable("BENCH_KEEP") is null)
    {
        Directory.Delete(dir, recursive: true);
    }
    else
    {
        Console.Error.WriteLine($"kept {dir}");
    }
}

static async Task CreateNamespaceAsync(ClusterApi api, string name)
{
    using var r = await api.Http.PostAsync("/api/v1/namespaces", Json($$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{name}}}"}}"""));
    r.EnsureSuccessStatusCode();
}

static async Task CreateDataVolumeAsync(ClusterApi api, string ns, string name)
{
    var body = "{\"apiVersion\":\"cdi.kubevirt.io/v1beta1\",\"kind\":\"DataVolume\",\"metadata\":{\"name\":\"" + name + "\"}," +
        "\"spec\":{\"source\":{\"blank\":{}},\"storage\":{\"resources\":{\"requests\":{\"storage\":\"16Mi\"}}}}}";
    using var r = await api.Http.PostAsync($"/apis/cdi.kubevirt.io/v1beta1/namespaces/{ns}/datavolumes", Json(body));
    if (!r.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"creating {ns}/{name}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
    }
}

static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

static async Task<string> ResourceVersionAsync(ClusterApi api)
{
    // A list's resourceVersion is the store's latest: every write in the cluster advances it by one.
    using var doc = JsonDocument.Parse(await api.Http.GetStringAsync("/api/v1/namespaces?limit=1"));
    return doc.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString()!;
}

static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
{
    var deadline = Stopwatch.StartNew();
    while (!await condition())
    {
        if (deadline.Elapsed > timeout)
        {
            throw new TimeoutException($"waited {timeout} for {what}");
        }
        await Task.Delay(50);
    }
}

static void Run(string file, IEnumerable<string> arguments)
{
    var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in arguments)
    {
        psi.ArgumentList.Add(a);
    }
    using var p = Process.Start(psi)!;
    var stdout = p.StandardOutput.ReadToEndAsync();
    var stderr = p.StandardError.ReadToEndAsync();
    p.WaitForExit();
    if (p.ExitCode != 0)
    {
        throw new InvalidOperationException($"{file} {string.Join(' ', psi.ArgumentList)} failed: {stdout.Result}{stderr.Result}");
    }
}

static Process Start(string file, IEnumerable<string> arguments, string log)
{
    // Through sh, so the output goes straight to a file and the bench reads nothing while it measures.
    var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
    psi.ArgumentList.Add("-c");
    psi.ArgumentList.Add("log=\"$1\"; shift; exec \"$@\" >>\"$log\" 2>&1");
    psi.ArgumentList.Add("sh");
    psi.ArgumentList.Add(log);
    psi.ArgumentList.Add(file);
    foreach (var a in arguments)
    {
        psi.ArgumentList.Add(a);
    }
    return Process.Start(psi)!;
}

static int FreePort()
{
    using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    l.Start();
    return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
}

static string FindRoot()
{
    var d = new DirectoryInfo(AppContext.BaseDirectory);
    while (d is not null && !File.Exists(Path.Combine(d.FullName, "Cdi.slnx")))
    {
        d = d.Parent;
    }
    return d?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Cdi.slnx)");
}
