namespace Cdi.Api.Contracts;

/// <summary>
/// What the controller asks an upload server pod to do: receive one upload for one claim and write it through the
/// importer (<see cref="Importer"/>, whose source is <see cref="ImporterSpec"/>-level <c>upload:</c>). Passed as JSON
/// in <see cref="EnvironmentVariable"/>; versioned like the importer's spec, with no default version.
/// </summary>
public sealed record UploadServerSpec
{
    public const string EnvironmentVariable = "CDI_UPLOAD_SERVER_SPEC";
    public const int CurrentVersion = 1;

    /// <summary>The port the server listens on, on the pod's own address (plain HTTP; the proxy forwards there).</summary>
    public const int Port = 8443;

    /// <summary>The importer's source for a request body.</summary>
    public const string UploadSource = "upload:";

    public int? Version { get; set; }

    /// <summary>Where and how to write: the same record an importer pod gets, with source <see cref="UploadSource"/>.</summary>
    public ImporterSpec? Importer { get; set; }

    /// <summary>The claim this server fills: a token must name exactly it.</summary>
    public string Namespace { get; set; } = "";
    public string ClaimName { get; set; } = "";

    /// <summary>PEM (SubjectPublicKeyInfo) of the key upload tokens are signed with: the server verifies, it cannot mint.</summary>
    public string TokenPublicKey { get; set; } = "";

    /// <summary>
    /// The token operation the server accepts: <c>Upload</c> (users' upload tokens), or <c>CloneStream</c> in clone
    /// mode, where only the controller's token for this claim (<c>params.uid</c> = the claim's UID) is taken.
    /// </summary>
    public string TokenOperation { get; set; } = Upload.UploadTokenClaims.UploadOperation;

    /// <summary>Null when usable; otherwise one line naming the field.</summary>
    public string? Problem()
    {
        if (Version is null)
        {
            return $"upload server spec has no version (expected {CurrentVersion})";
        }
        if (Version != CurrentVersion)
        {
            return $"upload server spec version {Version} is not supported (expected {CurrentVersion})";
        }
        if (Importer is null)
        {
            return "upload server spec has no importer section";
        }
        if (Importer.Source != UploadSource)
        {
            return $"upload server spec importer source must be {UploadSource}";
        }
        if (string.IsNullOrEmpty(Namespace) || string.IsNullOrEmpty(ClaimName))
        {
            return "upload server spec names no claim (namespace and claimName)";
        }
        if (string.IsNullOrWhiteSpace(TokenPublicKey))
        {
            return "upload server spec has no tokenPublicKey: it could not tell a valid upload token from a forged one";
        }
        return Importer.Problem();
    }
}
