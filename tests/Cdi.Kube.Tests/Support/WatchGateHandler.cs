namespace Cdi.Kube.Tests.Support;

/// <summary>Passes requests to the real handler, except that watch requests fail while <see cref="BlockWatches"/> is set.</summary>
public sealed class WatchGateHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private volatile bool _block;

    public bool BlockWatches
    {
        get => _block;
        set => _block = value;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _block && request.RequestUri!.Query.Contains("watch=true", StringComparison.Ordinal)
            ? Task.FromException<HttpResponseMessage>(new HttpRequestException("watch blocked by the test"))
            : base.SendAsync(request, cancellationToken);
}
