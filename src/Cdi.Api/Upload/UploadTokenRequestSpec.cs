namespace Cdi.Api.Upload;

public sealed record UploadTokenRequestSpec
{
    /// <summary>The claim the token allows an upload into.</summary>
    public string? PvcName { get; init; }
}
