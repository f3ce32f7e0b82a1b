namespace Cdi.Cluster.ApiServer;

/// <summary>
/// Per-request write settings: <c>dryRun</c>, and <c>fieldValidation</c> (Strict refuses unknown fields of custom
/// resources, Warn reports them as warnings, Ignore drops them silently). Collects the warnings to send back.
/// </summary>
internal sealed record WriteOptions(bool DryRun, string FieldValidation)
{
    /// <summary>Writes made by the server itself.</summary>
    public static WriteOptions Internal => new(false, "Ignore");

    public List<string> Warnings { get; } = [];

    /// <summary>Who writes: admission sees it as <see cref="Validation.AdmissionRequest.User"/> (the server's own writes are the cluster admin's).</summary>
    public Authorization.UserInfo User { get; init; } = Authorization.UserInfo.ClusterAdmin;
}
