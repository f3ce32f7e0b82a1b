namespace Cdi.Api.Contracts;

/// <summary>
/// What the controller asks a clone source pod to do: read one volume raw (<c>disk.img</c> of a Filesystem volume, the
/// device of a Block one) and push it, with its checksum, into the target's upload server. Passed as JSON in
/// <see cref="EnvironmentVariable"/>; the token the server wants is in <see cref="TokenVariable"/> (minted when the pod is
/// created, so the spec itself stays a pure function of the cluster's state).
/// </summary>
public sealed record CloneSourceSpec
{
    public const string EnvironmentVariable = "CDI_CLONE_SOURCE_SPEC";
    public const string TokenVariable = "CDI_CLONE_TOKEN";
    public const int CurrentVersion = 1;

    public int? Version { get; set; }

    /// <summary><c>Filesystem</c> (read <c>disk.img</c> under <see cref="Source"/>) or <c>Block</c> (read the device <see cref="Source"/>).</summary>
    public string VolumeMode { get; set; } = "Filesystem";

    /// <summary>Where the source volume is, as the container sees it (mounted read-only).</summary>
    public string Source { get; set; } = "";

    /// <summary>The target's upload server: <c>http://&lt;pod IP&gt;:&lt;port&gt;/v1beta1/upload</c>.</summary>
    public string UploadUrl { get; set; } = "";

    /// <summary>Names the clone in logs and messages: <c>ns/claim</c> of the source and target.</summary>
    public string Description { get; set; } = "";

    /// <summary>Null when usable; otherwise one line naming the field.</summary>
    public string? Problem()
    {
        if (Version != CurrentVersion)
        {
            return Version is null ? $"clone source spec has no version (expected {CurrentVersion})" : $"clone source spec version {Version} is not supported (expected {CurrentVersion})";
        }
        if (VolumeMode is not ("Filesystem" or "Block"))
        {
            return $"clone source spec volumeMode \"{VolumeMode}\" is not Filesystem or Block";
        }
        if (string.IsNullOrEmpty(Source))
        {
            return "clone source spec has no source path";
        }
        return Uri.TryCreate(UploadUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? null
            : $"clone source spec uploadUrl \"{UploadUrl}\" is not an http(s) URL";
    }
}
