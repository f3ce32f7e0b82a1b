namespace Cdi.Importer.Core.Sources.Registry;

/// <summary>A content descriptor from a manifest or index.</summary>
public sealed record OciDescriptor(string MediaType, OciDigest Digest, long Size, OciPlatform? Platform);
