using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cdi.Cli.Manifests;

/// <summary>
/// The install manifests: deploy/ as shipped (embedded at build time, so deploy/ stays the one source), in
/// kustomization.yaml's order, with the image and namespace a user asks for put where deploy/ says
/// <see cref="DefaultImage"/> and <see cref="DefaultNamespace"/>.
/// </summary>
public static partial class DeployManifests
{
    public const string DefaultImage = "cdi.local/cdi:latest";
    public const string DefaultNamespace = "cdi";

    public static IReadOnlyList<string> Files()
    {
        var kustomization = Read("kustomization.yaml");
        return [.. kustomization.Split('\n').Select(l => l.TrimEnd()).Where(l => l.StartsWith("  - ", StringComparison.Ordinal)).Select(l => l[4..].Trim())];
    }

    /// <summary>
    /// Every object of deploy/ as one YAML stream. Throws <see cref="ArgumentException"/> for a bad image or namespace,
    /// its message one line (the value escaped: a newline in it could otherwise smuggle an object into the stream).
    /// </summary>
    public static string Render(string image, string ns)
    {
        if (!ImagePattern().IsMatch(image))
        {
            throw new ArgumentException($"image \"{JsonEncodedText.Encode(image)}\" is not an image reference (registry/name[:tag][@digest], no spaces or quotes)");
        }
        if (ns.Length > 63 || !NamespacePattern().IsMatch(ns))
        {
            throw new ArgumentException($"namespace \"{JsonEncodedText.Encode(ns)}\" is not a DNS-1123 label (lowercase letters, digits and '-', at most 63)");
        }
        var output = new StringBuilder();
        foreach (var file in Files())
        {
            foreach (var document in Read(file).Split("\n---\n"))
            {
                var text = document.Replace(DefaultImage, image, StringComparison.Ordinal);
                text = NamespaceField().Replace(text, m => m.Groups[1].Value + ns);
                text = text.Replace("--lease-namespace=" + DefaultNamespace, "--lease-namespace=" + ns, StringComparison.Ordinal);
                if (NamespaceKind().IsMatch(text))
                {
                    text = ObjectName().Replace(text, m => m.Groups[1].Value + ns, 1);
                }
                output.Append("---\n# Source: deploy/").Append(file).Append('\n').Append(text.Trim('\n')).Append('\n');
            }
        }
        return output.ToString();
    }

    private static string Read(string file)
    {
        using var stream = typeof(DeployManifests).Assembly.GetManifestResourceStream("deploy/" + file)
            ?? throw new InvalidOperationException($"deploy/{file} is not embedded in cdi (Cdi.Cli.csproj embeds deploy/**/*.yaml)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._\-/:@]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ImagePattern();

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamespacePattern();

    [GeneratedRegex(@"(?m)^(\s*namespace: )cdi$", RegexOptions.CultureInvariant)]
    private static partial Regex NamespaceField();

    [GeneratedRegex(@"(?m)^kind: Namespace$", RegexOptions.CultureInvariant)]
    private static partial Regex NamespaceKind();

    [GeneratedRegex(@"(?m)^(  name: )cdi$", RegexOptions.CultureInvariant)]
    private static partial Regex ObjectName();
}
