using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Discovery;

namespace Cdi.Cluster.Crds;

/// <summary>Turns an apiextensions.k8s.io/v1 CustomResourceDefinition into the resource it defines.</summary>
internal static class CrdReader
{
    public static ResourceDefinition Read(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject ?? throw ApiErrors.BadRequest("CustomResourceDefinition has no spec");
        var names = spec["names"] as JsonObject ?? throw ApiErrors.BadRequest("CustomResourceDefinition has no spec.names");
        var plural = Text(names["plural"]) ?? throw ApiErrors.BadRequest("spec.names.plural is required");
        var kind = Text(names["kind"]) ?? throw ApiErrors.BadRequest("spec.names.kind is required");
        var versions = (spec["versions"] as JsonArray ?? []).OfType<JsonObject>().Where(v => v["served"]?.GetValue<bool>() != false).ToList();
        if (versions.Count == 0)
        {
            throw ApiErrors.BadRequest("spec.versions must have at least one served version");
        }
        // The storage version is listed first so discovery prefers it.
        var storage = versions.FirstOrDefault(v => v["storage"]?.GetValue<bool>() == true) ?? versions[0];
        var ordered = new[] { storage }.Concat(versions.Where(v => !ReferenceEquals(v, storage))).ToList();
        var columns = ordered.Select(v => v["additionalPrinterColumns"] as JsonArray).FirstOrDefault(c => c is { Count: > 0 });
        return new ResourceDefinition
        {
            Group = Text(spec["group"]) ?? "",
            Versions = [.. ordered.Select(v => Text(v["name"]) ?? "v1")],
            Plural = plural,
            Singular = Text(names["singular"]) ?? kind.ToLowerInvariant(),
            Kind = kind,
            Namespaced = !string.Equals(Text(spec["scope"]), "Cluster", StringComparison.Ordinal),
            ShortNames = Strings(names["shortNames"]),
            Categories = Strings(names["categories"]),
            HasStatus = storage["subresources"]?["status"] is not null,
            PrinterColumns = [.. (columns ?? []).OfType<JsonObject>().Select(Column)],
            Schema = storage["schema"]?["openAPIV3Schema"] as JsonObject,
            IsCustom = true,
        };
    }

    private static PrinterColumn Column(JsonObject c) => new(
        Text(c["name"]) ?? "",
        Text(c["type"]) ?? "string",
        Text(c["jsonPath"]) ?? "",
        Text(c["format"]),
        Text(c["description"]) ?? "",
        (int)Storage.ObjectMeta.Long(c["priority"]));

    private static string? Text(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static List<string> Strings(JsonNode? n) => n is JsonArray a ? [.. a.Select(Text).OfType<string>()] : [];
}
