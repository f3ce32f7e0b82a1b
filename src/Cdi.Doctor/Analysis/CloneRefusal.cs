using System.Text.RegularExpressions;

namespace Cdi.Doctor.Analysis;

/// <summary>
/// A clone from another namespace that was not allowed, in the two places it shows: the admission refusal's text (our
/// <c>may not clone claim</c>, upstream's <c>insufficient permissions in clone source namespace</c>) wherever a
/// creator recorded it, and a DataVolume the controller failed because it carries no valid clone token.
/// </summary>
public static partial class CloneRefusal
{
    /// <summary>The controller's reason when a cross-namespace clone has no valid token (see CloneDecider).</summary>
    public const string ValidationFailed = "CloneValidationFailed";

    private const string TokenRefusedMarker = "clone from namespace ";

    /// <param name="User">The refused user, when the message names one.</param>
    /// <param name="SourceNamespace">The namespace cloned from, when known.</param>
    /// <param name="SourceClaim">The claim cloned, when known.</param>
    public sealed record Refusal(string? User, string? SourceNamespace, string? SourceClaim);

    /// <summary>The refusal an admission message (an event a creator recorded) carries, or null when it is none.</summary>
    public static Refusal? FromAdmissionMessage(string? message)
    {
        if (message is null)
        {
            return null;
        }
        if (Ours().Match(message) is { Success: true } ours)
        {
            return new Refusal(ours.Groups["user"].Value, ours.Groups["ns"].Value, ours.Groups["claim"].Value);
        }
        if (Upstream().Match(message) is { Success: true } upstream)
        {
            return new Refusal(upstream.Groups["user"].Success ? upstream.Groups["user"].Value : null, upstream.Groups["ns"].Value, null);
        }
        return null;
    }

    /// <summary>True when the controller failed the DataVolume's clone for want of a valid clone token.</summary>
    public static bool TokenRefused(DataVolumeContext dv) =>
        dv.Condition("Running") is { Status: "False", Reason: ValidationFailed, Message: { } m } && m.StartsWith(TokenRefusedMarker, StringComparison.Ordinal);

    /// <summary>What gives <paramref name="user"/> the right to clone from <paramref name="sourceNamespace"/>, as upstream's docs grant it.</summary>
    public static string Grant(string sourceNamespace, string? user) =>
        $"kubectl create role datavolume-cloner -n {sourceNamespace} --verb=create --resource=datavolumes.cdi.kubevirt.io/source && "
        + $"kubectl create rolebinding datavolume-cloner-{BindingSuffix(user)} -n {sourceNamespace} --role=datavolume-cloner {Subject(user)}";

    // A service account is bound as one (--serviceaccount NS:NAME); anyone else as a user.
    private static string Subject(string? user) =>
        user is { } u && u.StartsWith("system:serviceaccount:", StringComparison.Ordinal) && u.Split(':') is [_, _, var ns, var name]
            ? $"--serviceaccount={ns}:{name}"
            : $"--user={user ?? "USER"}";

    private static string BindingSuffix(string? user) =>
        user is null ? "user" : NotNameChars().Replace(user.ToLowerInvariant(), "-").Trim('-') is { Length: > 0 } s ? s : "user";

    [GeneratedRegex("user \"(?<user>[^\"]+)\" may not clone claim (?<ns>[^/\\s]+)/(?<claim>[^:\\s]+)")]
    private static partial Regex Ours();

    [GeneratedRegex("(?:(?<user>\\S+) has )?insufficient permissions in clone source namespace:? ?\"?(?<ns>[a-z0-9-]+)")]
    private static partial Regex Upstream();

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex NotNameChars();
}
