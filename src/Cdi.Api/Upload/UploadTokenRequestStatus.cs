namespace Cdi.Api.Upload;

public sealed record UploadTokenRequestStatus
{
    public string? Token { get; init; }
}
