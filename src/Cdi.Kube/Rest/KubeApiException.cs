using System.Net;
using Cdi.Kube.Models;

namespace Cdi.Kube.Rest;

/// <summary>A failed API call, carrying the server's Status.</summary>
public sealed class KubeApiException : Exception
{
    public KubeApiException(Status status)
        : base(status.Message ?? status.Reason ?? $"Kubernetes API error {status.Code}")
    {
        Status = status;
        Reason = Classify(status);
    }

    public KubeApiException() : this(new Status()) { }

    public KubeApiException(string message) : this(new Status { Message = message }) { }

    public KubeApiException(string message, Exception inner) : base(message, inner)
    {
        Status = new Status { Message = message };
    }

    public Status Status { get; }
    public KubeErrorReason Reason { get; }
    public HttpStatusCode? Code => Status.Code is int code ? (HttpStatusCode)code : null;

    public bool IsNotFound => Reason == KubeErrorReason.NotFound;
    public bool IsAlreadyExists => Reason == KubeErrorReason.AlreadyExists;
    public bool IsConflict => Reason == KubeErrorReason.Conflict;
    public bool IsGone => Reason == KubeErrorReason.Gone;

    // The reason string wins when it is known; otherwise the HTTP code decides (a 409 without a reason is a conflict,
    // while 409 with reason AlreadyExists is not).
    private static KubeErrorReason Classify(Status status) => status.Reason switch
    {
        "NotFound" => KubeErrorReason.NotFound,
        "AlreadyExists" => KubeErrorReason.AlreadyExists,
        "Conflict" => KubeErrorReason.Conflict,
        "Gone" or "Expired" => KubeErrorReason.Gone,
        "Forbidden" => KubeErrorReason.Forbidden,
        "Unauthorized" => KubeErrorReason.Unauthorized,
        "Invalid" => KubeErrorReason.Invalid,
        "BadRequest" => KubeErrorReason.BadRequest,
        "TooManyRequests" => KubeErrorReason.TooManyRequests,
        "InternalError" => KubeErrorReason.InternalError,
        "ServiceUnavailable" => KubeErrorReason.ServiceUnavailable,
        "Timeout" => KubeErrorReason.Timeout,
        _ => status.Code switch
        {
            400 => KubeErrorReason.BadRequest,
            401 => KubeErrorReason.Unauthorized,
            403 => KubeErrorReason.Forbidden,
            404 => KubeErrorReason.NotFound,
            409 => KubeErrorReason.Conflict,
            410 => KubeErrorReason.Gone,
            422 => KubeErrorReason.Invalid,
            429 => KubeErrorReason.TooManyRequests,
            500 => KubeErrorReason.InternalError,
            503 => KubeErrorReason.ServiceUnavailable,
            504 => KubeErrorReason.Timeout,
            _ => KubeErrorReason.Unknown,
        },
    };
}
