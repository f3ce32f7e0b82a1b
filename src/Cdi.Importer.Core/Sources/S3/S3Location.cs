using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Sources.S3;

/// <summary>An object in S3 or an S3-compatible store, addressed path-style: <c>{Endpoint}/{Bucket}/{Key}</c>.</summary>
public sealed record S3Location(Uri Endpoint, string Bucket, string Key, string Region)
{
    public static readonly Uri AwsEndpoint = new("https://s3.amazonaws.com");

    /// <summary><c>s3://BUCKET/KEY</c> with an optional endpoint, or upstream's DataVolume form: an http(s) endpoint URL with the bucket and key in its path.</summary>
    public static S3Location Parse(string source, string? endpoint)
    {
        string bucketAndKey;
        Uri endpointUri;
        if (source.StartsWith("s3://", StringComparison.Ordinal))
        {
            bucketAndKey = source["s3://".Length..];
            endpointUri = endpoint is null ? AwsEndpoint : ParseEndpoint(endpoint);
        }
        else if (Uri.TryCreate(source, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            bucketAndKey = Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/'));
            endpointUri = new Uri(url.GetLeftPart(UriPartial.Authority));
        }
        else
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"S3 source \"{source}\" must be s3://BUCKET/KEY or an http(s) endpoint URL with /BUCKET/KEY");
            return null;
        }
        var slash = bucketAndKey.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == bucketAndKey.Length - 1)
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"S3 source \"{source}\" needs both a bucket and an object key");
        }
        return new S3Location(endpointUri, bucketAndKey[..slash], bucketAndKey[(slash + 1)..], RegionOf(endpointUri));
    }

    public Uri ObjectUrl => new(Endpoint, "/" + SigV4Signer.EncodePath($"{Bucket}/{Key}"));

    public override string ToString() => $"s3://{Bucket}/{Key} at {Endpoint.GetLeftPart(UriPartial.Authority)}";

    private static Uri ParseEndpoint(string endpoint)
    {
        var text = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "https://" + endpoint;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"invalid S3 endpoint \"{endpoint}\": use an http(s) URL");
        }
        return new Uri(uri.GetLeftPart(UriPartial.Authority));
    }

    /// <summary><c>s3.REGION.amazonaws.com</c> or <c>s3-REGION.amazonaws.com</c> name their region; anything else signs for us-east-1.</summary>
    private static string RegionOf(Uri endpoint)
    {
        var parts = endpoint.Host.Split('.');
        if (parts.Length >= 4 && parts[^2] == "amazonaws" && parts[0] == "s3")
        {
            return parts[1];
        }
        if (parts.Length >= 3 && parts[^2] == "amazonaws" && parts[0].StartsWith("s3-", StringComparison.Ordinal))
        {
            return parts[0][3..];
        }
        return "us-east-1";
    }
}
