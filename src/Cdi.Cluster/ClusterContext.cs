namespace Cdi.Cluster;

/// <summary>What a cluster component needs to reach the API server and the cluster's files.</summary>
/// <param name="Directory">The cluster directory (default <c>.cdi</c>): SQLite store, kubeconfig, volumes.</param>
/// <param name="KubeconfigPath">Kubeconfig with the bearer token for this cluster.</param>
/// <param name="ApiServerUrl">Base URL, for example <c>https://127.0.0.1:6443</c> (TLS with the cluster's own CA, in the kubeconfig).</param>
/// <param name="CdiExecutable">Path of the cdi binary that pods using the cdi image run as local processes.</param>
/// <param name="CdiImage">The container image name that means "the cdi binary".</param>
/// <param name="UploadProxyUrl">Where the upload proxy listens (HTTPS, the cluster's CA).</param>
/// <param name="UploadTokenPublicKey">PEM public key of the upload-token signer, for upload servers to verify tokens.</param>
/// <param name="CloneSigningKey">PEM private key the controller signs clone-stream tokens with (in-process components only).</param>
/// <param name="WorkerExecutable">Path of the cdi-worker binary that worker pods (command <c>cdi-worker …</c>) run; by
/// default the cdi-worker beside <paramref name="CdiExecutable"/>.</param>
public sealed record ClusterContext(string Directory, string KubeconfigPath, Uri ApiServerUrl, string BearerToken, string CdiExecutable, string CdiImage,
    Uri? UploadProxyUrl = null, string? UploadTokenPublicKey = null, string? CloneSigningKey = null, string? WorkerExecutable = null)
{
    public string WorkerExecutable { get; init; } = WorkerExecutable ?? Beside(CdiExecutable);

    /// <summary>cdi-worker in cdi's folder (cdi-worker.dll beside a framework-dependent cdi.dll), as the cdi image installs them.</summary>
    public static string Beside(string cdiExecutable) => Path.Combine(Path.GetDirectoryName(cdiExecutable) ?? "",
        cdiExecutable.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? "cdi-worker.dll" : "cdi-worker");
}
