namespace Cdi.Kube.Rest;

/// <summary>Where a kind of object lives in the REST API.</summary>
/// <param name="Group">API group; empty for the core group (<c>/api/v1</c>).</param>
public sealed record ResourceDescriptor(string Group, string Version, string Plural, bool Namespaced, string Kind)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The URL path, relative to the server's base: collection when <paramref name="name"/> is null.</summary>
    public string PathFor(string? @namespace, string? name = null, string? subresource = null)
    {
        var root = Group.Length == 0 ? $"api/{Version}" : $"apis/{Group}/{Version}";
        var path = Namespaced && !string.IsNullOrEmpty(@namespace)
            ? $"{root}/namespaces/{Uri.EscapeDataString(@namespace)}/{Plural}"
            : $"{root}/{Plural}";
        if (name is not null) path += "/" + Uri.EscapeDataString(name);
        if (subresource is not null) path += "/" + subresource;
        return path;
    }
}
