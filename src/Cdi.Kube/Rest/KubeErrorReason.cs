namespace Cdi.Kube.Rest;

/// <summary>The Status reasons callers branch on; anything else is <see cref="Unknown"/>.</summary>
public enum KubeErrorReason
{
    Unknown,
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    AlreadyExists,
    Conflict,
    Gone,
    Invalid,
    TooManyRequests,
    InternalError,
    ServiceUnavailable,
    Timeout,
}
