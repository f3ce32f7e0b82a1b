namespace Cdi.Controller.Importing;

/// <summary>Upstream's S3 DataVolume url, an endpoint with the bucket and key in its path, split into the importer's form.</summary>
/// <param name="Endpoint">Scheme and authority, such as <c>https://s3.example.com</c>.</param>
/// <param name="Source"><c>s3://BUCKET/KEY</c>.</param>
public sealed record S3Url(string Endpoint, string Source)
{
    public static S3Url? TryParse(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return null;
        }
        var path = Uri.UnescapeDataString(uri.AbsolutePath).TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 || slash == path.Length - 1 ? null : new S3Url(uri.GetLeftPart(UriPartial.Authority), "s3://" + path);
    }
}
