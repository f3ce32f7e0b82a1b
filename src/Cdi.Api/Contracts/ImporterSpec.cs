namespace Cdi.Api.Contracts;

/// <summary>
/// What the controller asks an importer pod to do: one versioned record, passed as JSON in the
/// <see cref="EnvironmentVariable"/> variable, instead of upstream's web of annotations and environment variables.
/// Paths are as the container sees them.
/// </summary>
public sealed record ImporterSpec
{
    public const string EnvironmentVariable = "CDI_IMPORTER_SPEC";
    public const int CurrentVersion = 1;

    /// <summary>Required: the importer refuses a spec without one or with another (no default, so absence is visible).</summary>
    public int? Version { get; set; }

    /// <summary>URL (<c>http(s)://</c>, <c>docker://</c>, <c>s3://</c>), or <c>blank:</c> for an empty disk.</summary>
    public string Source { get; set; } = "";

    /// <summary><c>kubevirt</c> or <c>archive</c>.</summary>
    public string ContentType { get; set; } = "kubevirt";

    /// <summary><c>Filesystem</c> or <c>Block</c>.</summary>
    public string VolumeMode { get; set; } = "Filesystem";

    /// <summary><c>/data</c> (Filesystem) or <c>/dev/cdi-block-volume</c> (Block).</summary>
    public string Target { get; set; } = "/data";

    /// <summary>The volume's size in bytes (the PVC's capacity).</summary>
    public long Size { get; set; }

    /// <summary>Share of a Filesystem volume kept for the file system, 0 ≤ x &lt; 1 (e.g. 0.06); Block volumes use 0.</summary>
    public double FilesystemOverhead { get; set; } = 0.06;

    public string? Checksum { get; set; }

    /// <summary>Where a scratch volume is mounted, or null when the controller gave none.</summary>
    public string? Scratch { get; set; }

    public bool Preallocation { get; set; }

    /// <summary>The source is a volume's raw contents (a clone): written as is, no decompression or format detection.</summary>
    public bool RawCopy { get; set; }

    /// <summary>Directory of extra trusted CA certificates (a mounted ConfigMap: <c>tls.crt</c>, <c>ca.crt</c>, <c>*.pem</c>), or null.</summary>
    public string? CertDir { get; set; }

    /// <summary>Accept any server certificate (explicit opt-in).</summary>
    public bool InsecureSkipTlsVerify { get; set; }

    /// <summary>Directory with files <c>accessKeyId</c> and <c>secretKey</c> (a mounted Secret) for basic auth, or null.</summary>
    public string? SecretDir { get; set; }

    /// <summary>Extra request headers as <c>"Name: value"</c>, sent only to the source URL's own host.</summary>
    public List<string> ExtraHeaders { get; set; } = [];

    /// <summary>Directories (mounted Secrets) whose every file not starting with a dot is one more <c>"Name: value"</c>
    /// header, as upstream's secretExtraHeaders; their values are never logged.</summary>
    public List<string> ExtraHeaderDirs { get; set; } = [];

    /// <summary>Seconds without a received byte before a download counts as broken (and is resumed); null means 60.</summary>
    public int? IdleTimeoutSeconds { get; set; }

    /// <summary>HTTP proxy URL (CDIConfig importProxy), or null for direct connections.</summary>
    public string? Proxy { get; set; }

    /// <summary>Comma-separated hosts, domains and CIDRs that bypass <see cref="Proxy"/> (curl's <c>no_proxy</c> syntax).</summary>
    public string? NoProxy { get; set; }

    /// <summary>
    /// The SSRF guard: false (upstream's behaviour) denies only cloud metadata addresses (169.254.0.0/16,
    /// fd00:ec2::254); true also denies loopback, private, carrier-grade NAT, unique local and reserved ranges.
    /// From CDIConfig <c>denyPrivateNetworks</c>.
    /// </summary>
    public bool DenyPrivateNetworks { get; set; }

    /// <summary>
    /// The SSRF guard's allow-list: CIDRs an importer pod may reach although the guard denies them. The controller
    /// fills it from CDIConfig; the local cluster allows <c>127.0.0.0/8</c> so local imports and demos work.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>Registry host[:port] entries (CDIConfig <c>insecureRegistries</c>) that may use plain HTTP or unverified TLS.</summary>
    public List<string> InsecureRegistries { get; set; } = [];

    /// <summary>Registry mirrors as <c>REGISTRY=MIRROR[/PREFIX]</c>, tried before the registry itself.</summary>
    public List<string> RegistryMirrors { get; set; } = [];

    /// <summary>Platform to pick from a multi-platform image (<c>ARCH</c> or <c>OS/ARCH[/VARIANT]</c>); linux/amd64 when null.</summary>
    public string? Platform { get; set; }

    /// <summary>Endpoint URL for an <c>s3://BUCKET/KEY</c> source; AWS when null.</summary>
    public string? S3Endpoint { get; set; }

    /// <summary>UID of the claim being filled: the <c>ownerUID</c> label of the progress metric, as upstream labels it.</summary>
    public string? OwnerUid { get; set; }

    /// <summary>
    /// Checks what the importer cannot work without: the version, and the fields whose range the type does not say.
    /// Null when the spec is usable, otherwise one line naming the field.
    /// </summary>
    public string? Problem()
    {
        if (Version is null)
        {
            return $"importer spec has no version (expected {CurrentVersion})";
        }
        if (Version != CurrentVersion)
        {
            return $"importer spec version {Version} is not supported (expected {CurrentVersion})";
        }
        if (string.IsNullOrEmpty(Source))
        {
            return "importer spec has no source";
        }
        if (!double.IsFinite(FilesystemOverhead) || FilesystemOverhead < 0 || FilesystemOverhead >= 1)
        {
            return $"importer spec filesystemOverhead {FilesystemOverhead.ToString(System.Globalization.CultureInfo.InvariantCulture)} is out of range: a fraction from 0 up to (not including) 1";
        }
        if (Size < 0)
        {
            return $"importer spec size {Size} is negative";
        }
        if (ContentType is not ("kubevirt" or "archive"))
        {
            return $"importer spec contentType \"{ContentType}\" is not kubevirt or archive";
        }
        if (VolumeMode is not ("Filesystem" or "Block"))
        {
            return $"importer spec volumeMode \"{VolumeMode}\" is not Filesystem or Block";
        }
        return null;
    }
}
