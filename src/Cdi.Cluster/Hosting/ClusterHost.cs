using System.Net;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Authentication;
using Cdi.Cluster.Authorization;
using Cdi.Cluster.Controllers;
using Cdi.Cluster.Discovery;
using Cdi.Cluster.Logs;
using Cdi.Cluster.Storage;
using Cdi.Cluster.Tables;
using Cdi.Cluster.Uploads;
using Cdi.Cluster.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cdi.Cluster.Hosting;

/// <summary>
/// The local cluster: an HTTPS Kubernetes API server on 127.0.0.1 over a SQLite store in the cluster directory, its
/// in-process controllers (garbage collector, namespaces, quota), and the <see cref="IClusterComponent"/>s given to it
/// (provisioner, pod runner, ...), which start once the API server listens and stop before it does.
/// </summary>
public sealed class ClusterHost : IAsyncDisposable
{
    public const int DefaultPort = 6443;
    public const string DefaultImage = "cdi.local/cdi:latest";

    private static readonly TimeSpan ComponentStopTimeout = TimeSpan.FromSeconds(15);

    private readonly ClusterHostOptions _options;
    private readonly IReadOnlyList<IClusterComponent> _components;
    private readonly TimeProvider _clock;
    private readonly ILoggerFactory _loggers;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _running = [];
    private WebApplication? _app;
    private ObjectStore? _store;
    private FileStream? _lock;
    private ClusterContext? _context;
    private UploadProxyServer? _uploadProxy;
    private System.Security.Cryptography.ECDsa? _uploadKey;
    private System.Security.Cryptography.ECDsa? _serviceAccountKey;

    public ClusterHost(ClusterHostOptions options, IEnumerable<IClusterComponent> components, TimeProvider? clock = null, ILoggerFactory? loggers = null)
    {
        _options = options with { Directory = Path.GetFullPath(options.Directory) };
        _components = [.. components];
        _clock = clock ?? TimeProvider.System;
        _loggers = loggers ?? LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
    }

    /// <summary>Where the API server listens, once started.</summary>
    public Uri ApiServerUrl => Context.ApiServerUrl;

    public string KubeconfigPath => ClusterFiles.Kubeconfig(_options.Directory);

    /// <summary>What components receive; valid once <see cref="StartAsync"/> returned.</summary>
    public ClusterContext Context => _context ?? throw new InvalidOperationException("the cluster has not started");

    /// <summary>Runs until <paramref name="stopping"/> fires, then stops everything.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        await StartAsync(stopping).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }
        await StopAsync().ConfigureAwait(false);
    }

    /// <summary>Opens the store, seeds it, listens, writes the kubeconfig, then starts controllers and components.</summary>
    /// <exception cref="ClusterAlreadyRunningException">Another API server holds this cluster directory.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var dir = _options.Directory;
        PrivateState.Secure(dir);
        _lock = ClusterLock.TryAcquire(dir) ?? throw new ClusterAlreadyRunningException(dir);
        var logger = _loggers.CreateLogger("cdi.cluster");

        var (certificate, caPem) = ClusterCertificates.LoadOrCreate(dir, _clock);
        var token = KubeconfigFile.LoadOrCreateToken(dir);
        PrivateState.Touch(ClusterFiles.Database(dir));
        _store = ObjectStore.Open(ClusterFiles.Database(dir), _options.WatchHistory);
        var firstStart = _store.ResourceVersion == 0;
        var registry = new ResourceRegistry(BuiltInResources.All);
        // One authorizer for requests, access reviews and admission that asks about the requester.
        var authorizer = new RbacAuthorizer(_store);
        _uploadKey = SigningKeys.LoadOrCreate(dir, SigningKeys.UploadFile);
        SigningKeys.LoadOrCreate(dir, SigningKeys.CloneStreamFile).Dispose();
        // Admission signs clone tokens with the token key; the controller checks them with its public half.
        var objects = new ObjectService(_store, registry, _clock, AdmissionChain.Default(authorizer, _uploadKey, _clock));
        new ClusterSeeder(objects, _options).Seed(firstStart);

        // The API server's own loops, on the same controller runtime as every other loop; /readyz reports them.
        IController[] controllers =
        [
            new InProcessController<ObjectKey>(new GarbageCollector(objects), _store, _clock, logger),
            new InProcessController<string>(new NamespaceController(objects), _store, _clock, logger),
            new InProcessController<string>(new QuotaController(objects), _store, _clock, logger),
        ];
        _serviceAccountKey = SigningKeys.LoadOrCreate(dir, SigningKeys.ServiceAccountFile);
        var serviceAccountTokens = new ServiceAccountTokens(_serviceAccountKey);
        var resources = new ResourceHandler(objects, new TableBuilder(_clock), new PodLogs(dir, _clock, _stopping.Token), _clock,
            new AccessReviews(authorizer), new TokenRequests(_store, serviceAccountTokens, _clock), _stopping.Token);
        Uri? url = null;
        var authenticator = new RequestAuthenticator(token, serviceAccountTokens, _store, authorizer, _clock);
        var handler = new ApiHandler(registry, resources, authenticator, authorizer, () => url?.Authority ?? "127.0.0.1", controllers, logger,
            new UploadTokenService(_store, _uploadKey, _clock));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "cdi-cluster", ContentRootPath = dir });
        // ASP.NET Core's own logging stays off: failures reach the caller as exceptions, requests are not logged.
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k =>
        {
            // Every informer holds a watch open; over HTTP/2 they share one connection, and .NET's HttpClient queues
            // (rather than opening a second connection) once the server's stream limit (100 by default) is reached.
            k.Limits.Http2.MaxStreamsPerConnection = 1000;
            k.Listen(IPAddress.Loopback, _options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            });
        });
        _app = builder.Build();
        _app.Run(handler.HandleAsync);
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);

        url = new Uri(_app.Urls.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        var kubeconfig = ClusterFiles.Kubeconfig(dir);
        KubeconfigFile.Write(kubeconfig, url, caPem, token);
        var store = _store;
        var uploadKey = _uploadKey;
        _uploadProxy = await UploadProxyServer.StartAsync(_options.UploadProxyPort, certificate,
            http => new UploadProxyHandler(store, uploadKey, _clock, http, _loggers.CreateLogger("cdi.uploadproxy")), cancellationToken).ConfigureAwait(false);
        _context = new ClusterContext(dir, kubeconfig, url, token, _options.CdiExecutable, _options.Image,
            _uploadProxy.Url, _uploadKey.ExportSubjectPublicKeyInfoPem(),
            File.ReadAllText(SigningKeys.Path(dir, SigningKeys.CloneStreamFile)), _options.WorkerExecutable);

        foreach (var c in controllers)
        {
            _running.Add(Task.Run(() => c.RunAsync(_stopping.Token), CancellationToken.None));
        }
        foreach (var component in _components)
        {
            _running.Add(Task.Run(() => RunComponentAsync(component, logger), CancellationToken.None));
        }
    }

    private async Task RunComponentAsync(IClusterComponent component, ILogger logger)
    {
        try
        {
            await component.RunAsync(Context, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopped with the cluster.
        }
        catch (Exception e)
        {
            logger.LogError(e, "cluster component {Name} failed", component.Name);
        }
    }

    /// <summary>Stops components and controllers (bounded wait), then the API server, then closes the store.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_running).WaitAsync(ComponentStopTimeout, _clock).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _loggers.CreateLogger("cdi.cluster").LogWarning("some cluster components did not stop within {Timeout}", ComponentStopTimeout);
        }
        if (_uploadProxy is not null)
        {
            await _uploadProxy.DisposeAsync().ConfigureAwait(false);
            _uploadProxy = null;
        }
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
        _store?.Dispose();
        _store = null;
        _uploadKey?.Dispose();
        _uploadKey = null;
        _serviceAccountKey?.Dispose();
        _serviceAccountKey = null;
        _lock?.Dispose();
        _lock = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
