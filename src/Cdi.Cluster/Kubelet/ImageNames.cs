namespace Cdi.Cluster.Kubelet;

/// <summary>Whether a container image means "the cdi binary": compared after dropping docker.io defaults and ":latest".</summary>
internal static class ImageNames
{
    public static bool IsCdi(string? image, string cdiImage) =>
        !string.IsNullOrEmpty(image) && string.Equals(Normalize(image), Normalize(cdiImage), StringComparison.Ordinal);

    private static string Normalize(string image)
    {
        var name = image.Trim();
        foreach (var prefix in (string[])["docker.io/library/", "docker.io/", "index.docker.io/library/"])
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal)) name = name[prefix.Length..];
        }
        var lastSlash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        return colon > lastSlash && name[(colon + 1)..] == "latest" ? name[..colon] : name;
    }
}
