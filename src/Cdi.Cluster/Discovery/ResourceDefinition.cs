using System.Text.Json.Nodes;

namespace Cdi.Cluster.Discovery;

/// <summary>
/// One served resource: built in, or defined by a CRD. Objects are stored once per group-resource whatever the version
/// (the versions of our CRDs share a schema, so no conversion is needed beyond the apiVersion field).
/// </summary>
internal sealed record ResourceDefinition
{
    public required string Group { get; init; }

    public required IReadOnlyList<string> Versions { get; init; }

    public required string Plural { get; init; }

    public required string Singular { get; init; }

    public required string Kind { get; init; }

    public required bool Namespaced { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Has a <c>status</c> subresource: the main resource ignores status writes, <c>/status</c> writes only status.</summary>
    public bool HasStatus { get; init; }

    /// <summary>Other subresources served (pods/log).</summary>
    public IReadOnlyList<string> Subresources { get; init; } = [];

    /// <summary>The verbs discovery lists; null for all of them (reviews and token requests are create-only).</summary>
    public IReadOnlyList<string>? Verbs { get; init; }

    public IReadOnlyList<PrinterColumn> PrinterColumns { get; init; } = [];

    /// <summary>The storage version's openAPIV3Schema, for pruning and enum checks; null for built-in kinds.</summary>
    public JsonObject? Schema { get; init; }

    public bool IsCustom { get; init; }

    /// <summary>Kubernetes' error messages name resources as <c>plural</c> or <c>plural.group</c>.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : Plural + "." + Group;

    public string ApiVersion(string version) => Group.Length == 0 ? version : Group + "/" + version;

    public string PreferredVersion => Versions[0];
}
