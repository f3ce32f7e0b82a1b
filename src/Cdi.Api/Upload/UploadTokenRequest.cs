using Cdi.Kube.Models;

namespace Cdi.Api.Upload;

/// <summary>
/// <c>upload.cdi.kubevirt.io/v1beta1</c> UploadTokenRequest: created (never stored) in a claim's namespace with
/// <c>spec.pvcName</c>; the answer carries the token in <c>status.token</c>.
/// </summary>
public sealed record UploadTokenRequest
{
    public const string Group = "upload.cdi.kubevirt.io";
    public const string Version = "v1beta1";
    public const string Plural = "uploadtokenrequests";
    public const string KindName = "UploadTokenRequest";

    public string? ApiVersion { get; init; } = $"{Group}/{Version}";
    public string? Kind { get; init; } = KindName;
    public ObjectMeta Metadata { get; init; } = new();
    public UploadTokenRequestSpec Spec { get; init; } = new();
    public UploadTokenRequestStatus? Status { get; init; }
}
