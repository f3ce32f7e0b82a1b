namespace Cdi.Kube.Config;

/// <summary>Everything needed to reach one API server as one user: the resolved result of a kubeconfig or in-cluster setup.</summary>
public sealed record KubeConfig
{
    public required Uri Server { get; init; }
    /// <summary>Default namespace for namespaced calls that name none.</summary>
    public string Namespace { get; init; } = "default";
    public string? Token { get; init; }
    /// <summary>Re-read on use, since service-account tokens rotate.</summary>
    public string? TokenFile { get; init; }
    /// <summary>PEM certificate(s) the server's certificate must chain to; null means the system's roots.</summary>
    public string? CertificateAuthorityPem { get; init; }
    public string? ClientCertificatePem { get; init; }
    public string? ClientKeyPem { get; init; }
    public bool InsecureSkipTlsVerify { get; init; }
    public string? TlsServerName { get; init; }
    /// <summary>The kubeconfig context this came from (null in-cluster).</summary>
    public string? ContextName { get; init; }
}
