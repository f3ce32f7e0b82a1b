namespace Cdi.Api.Upload;

/// <summary>How an upload request carries its bytes (body or a multipart <c>file</c> part) and when it is answered.</summary>
public enum UploadMode
{
    /// <summary>Answered when the data is in the volume.</summary>
    Sync,

    /// <summary>Answered once the bytes are received; processing goes on (watch the claim's annotations).</summary>
    Async,
    FormSync,
    FormAsync,
}
