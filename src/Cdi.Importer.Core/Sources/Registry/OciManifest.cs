using System.Text.Json;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Sources.Registry;

/// <summary>
/// A parsed manifest document: an index (<see cref="Manifests"/> set) or an image manifest (<see cref="Layers"/> set).
/// Every digest in it is validated here, before anything uses it.
/// </summary>
public sealed record OciManifest(string MediaType, IReadOnlyList<OciDescriptor> Manifests, IReadOnlyList<OciDescriptor> Layers)
{
    public const int MaxBytes = 4 << 20;

    public bool IsIndex => OciMediaTypes.IsIndex(MediaType);

    /// <param name="headerMediaType">The Content-Type the registry sent, used when the document names none.</param>
    public static OciManifest Parse(ReadOnlySpan<byte> json, string? headerMediaType, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                ImportException.Throw(ImportFailureReason.CorruptImage, $"{what} is not a JSON object");
            }
            var mediaType = root.TryGetProperty("mediaType", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : headerMediaType ?? "";
            if (mediaType is OciMediaTypes.DockerSchema1 or OciMediaTypes.DockerSchema1Signed
                || root.TryGetProperty("schemaVersion", out var v) && v.ValueKind == JsonValueKind.Number && v.GetInt32() == 1)
            {
                ImportException.Throw(ImportFailureReason.UnsupportedFormat, $"{what} is a Docker schema 1 manifest, which is not supported: push the image again with a current tool");
            }
            if (mediaType.Length == 0)
            {
                mediaType = root.TryGetProperty("manifests", out _) ? OciMediaTypes.OciIndex : OciMediaTypes.OciManifest;
            }
            if (OciMediaTypes.IsIndex(mediaType))
            {
                return new OciManifest(mediaType, Descriptors(root, "manifests", what), []);
            }
            if (OciMediaTypes.IsManifest(mediaType))
            {
                return new OciManifest(mediaType, [], Descriptors(root, "layers", what));
            }
            ImportException.Throw(ImportFailureReason.UnsupportedFormat, $"{what} has media type \"{mediaType}\", not an image manifest or index");
            return null;
        }
        catch (JsonException e)
        {
            throw new ImportException(ImportFailureReason.CorruptImage, $"{what} is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new ImportException(ImportFailureReason.CorruptImage, $"{what} has an unexpected shape: {e.Message}", e);
        }
    }

    private static List<OciDescriptor> Descriptors(JsonElement root, string property, string what)
    {
        if (!root.TryGetProperty(property, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            ImportException.Throw(ImportFailureReason.CorruptImage, $"{what} has no \"{property}\" list");
        }
        var list = new List<OciDescriptor>();
        foreach (var item in array.EnumerateArray())
        {
            var mediaType = item.TryGetProperty("mediaType", out var mt) ? mt.GetString() ?? "" : "";
            var digest = OciDigest.Parse(item.TryGetProperty("digest", out var d) ? d.GetString() ?? "" : "", what);
            var size = item.TryGetProperty("size", out var s) ? s.GetInt64() : -1;
            if (size < 0)
            {
                ImportException.Throw(ImportFailureReason.CorruptImage, $"{what} lists {digest} without a valid size");
            }
            OciPlatform? platform = null;
            if (item.TryGetProperty("platform", out var p) && p.ValueKind == JsonValueKind.Object)
            {
                platform = new OciPlatform(
                    p.TryGetProperty("os", out var os) ? os.GetString() ?? "" : "",
                    p.TryGetProperty("architecture", out var arch) ? arch.GetString() ?? "" : "",
                    p.TryGetProperty("variant", out var variant) ? variant.GetString() : null);
            }
            list.Add(new OciDescriptor(mediaType, digest, size, platform));
        }
        return list;
    }
}
