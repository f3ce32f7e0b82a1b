using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Sources.Registry;

/// <summary><c>os/architecture[/variant]</c>, or just an architecture (upstream's <c>platform.architecture</c>), which means Linux.</summary>
public sealed record OciPlatform(string Os, string Architecture, string? Variant)
{
    public static readonly OciPlatform Default = new("linux", "amd64", null);

    public static OciPlatform Parse(string text)
    {
        var parts = text.Trim().ToLowerInvariant().Split('/');
        if (parts.Any(p => p.Length == 0) || parts.Length > 3)
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"invalid platform \"{text}\": use ARCH or OS/ARCH[/VARIANT], such as linux/arm64");
        }
        return parts.Length switch
        {
            1 => new OciPlatform("linux", parts[0], null),
            2 => new OciPlatform(parts[0], parts[1], null),
            _ => new OciPlatform(parts[0], parts[1], parts[2]),
        };
    }

    /// <summary>True when <paramref name="candidate"/> can run here; a variant only narrows when one was asked for.</summary>
    public bool Accepts(OciPlatform candidate) =>
        candidate.Os == Os && candidate.Architecture == Architecture && (Variant is null || candidate.Variant == Variant);

    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
