using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Cdi.Testing.Registry;

/// <summary>
/// Writes an OCI image layout (oci-layout, index.json, blobs/sha256/…) with container-disk images, the way umoci or
/// buildah would lay them out, for skopeo to push to a real registry.
/// </summary>
public sealed class OciLayoutBuilder
{
    private readonly string _root;
    private readonly JsonArray _refs = [];

    public OciLayoutBuilder(string root)
    {
        _root = root;
        Directory.CreateDirectory(Path.Combine(root, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(root, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
    }

    public string Root => _root;

    /// <summary>A tar of the entries, optionally compressed (zstd through the zstd tool).</summary>
    public static byte[] Layer(IEnumerable<LayerEntry> entries, LayerCompression compression)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var e in entries)
            {
                var entry = new PaxTarEntry(e.Type, e.Name) { Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead };
                if (e.LinkName is not null)
                {
                    entry.LinkName = e.LinkName;
                }
                if (e.Data is not null)
                {
                    entry.DataStream = new MemoryStream(e.Data);
                }
                writer.WriteEntry(entry);
            }
        }
        var raw = tar.ToArray();
        return compression switch
        {
            LayerCompression.Gzip => Gzip(raw),
            LayerCompression.Zstd => Zstd(raw),
            _ => raw,
        };
    }

    public static string MediaType(LayerCompression compression) => compression switch
    {
        LayerCompression.Gzip => "application/vnd.oci.image.layer.v1.tar+gzip",
        LayerCompression.Zstd => "application/vnd.oci.image.layer.v1.tar+zstd",
        _ => "application/vnd.oci.image.layer.v1.tar",
    };

    /// <summary>An image manifest over the given layers (base first); returns its descriptor.</summary>
    public JsonObject Image(IReadOnlyList<(byte[] Bytes, LayerCompression Compression, byte[] Tar)> layers, string architecture = "amd64")
    {
        var config = new JsonObject
        {
            ["architecture"] = architecture,
            ["os"] = "linux",
            ["config"] = new JsonObject(),
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(layers.Select(l => (JsonNode)Digest(l.Tar)).ToArray()) },
        };
        var configDescriptor = Blob(System.Text.Encoding.UTF8.GetBytes(config.ToJsonString()), "application/vnd.oci.image.config.v1+json");
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = configDescriptor,
            ["layers"] = new JsonArray(layers.Select(l => (JsonNode)Blob(l.Bytes, MediaType(l.Compression))).ToArray()),
        };
        var descriptor = Blob(System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString()), "application/vnd.oci.image.manifest.v1+json");
        descriptor["platform"] = new JsonObject { ["architecture"] = architecture, ["os"] = "linux" };
        return descriptor;
    }

    /// <summary>A one-layer container disk: <c>disk/NAME</c> holding <paramref name="disk"/>.</summary>
    public JsonObject ContainerDisk(string name, byte[] disk, LayerCompression compression = LayerCompression.Gzip, string architecture = "amd64") =>
        Image([LayerOf([LayerEntry.Directory("disk/"), LayerEntry.File($"disk/{name}", disk)], compression)], architecture);

    public static (byte[] Bytes, LayerCompression Compression, byte[] Tar) LayerOf(IEnumerable<LayerEntry> entries, LayerCompression compression)
    {
        var list = entries.ToList();
        return (Layer(list, compression), compression, Layer(list, LayerCompression.None));
    }

    /// <summary>An index over image descriptors (multi-platform); returns its descriptor.</summary>
    public JsonObject Index(params JsonObject[] manifests)
    {
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = new JsonArray(manifests.Select(m => (JsonNode)m.DeepClone()).ToArray()),
        };
        return Blob(System.Text.Encoding.UTF8.GetBytes(index.ToJsonString()), "application/vnd.oci.image.index.v1+json");
    }

    /// <summary>Names a manifest or index in index.json as <paramref name="tag"/>.</summary>
    public void Tag(string tag, JsonObject descriptor)
    {
        var d = (JsonObject)descriptor.DeepClone();
        d.Remove("platform");
        d["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = tag };
        _refs.Add(d);
        var index = new JsonObject { ["schemaVersion"] = 2, ["manifests"] = _refs.DeepClone() };
        File.WriteAllText(Path.Combine(_root, "index.json"), index.ToJsonString());
    }

    public JsonObject Blob(byte[] data, string mediaType)
    {
        var digest = Digest(data);
        File.WriteAllBytes(Path.Combine(_root, "blobs", "sha256", digest["sha256:".Length..]), data);
        return new JsonObject { ["mediaType"] = mediaType, ["digest"] = digest, ["size"] = data.Length };
    }

    public static string Digest(byte[] data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));

    private static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(raw);
        }
        return output.ToArray();
    }

    private static byte[] Zstd(byte[] raw)
    {
        using var dir = new TempDirectory("cdi-zstd");
        var input = dir.File("layer.tar");
        File.WriteAllBytes(input, raw);
        ProcessRunner.Sh($"zstd -q -3 '{input}' -o '{input}.zst'");
        return File.ReadAllBytes(input + ".zst");
    }
}
