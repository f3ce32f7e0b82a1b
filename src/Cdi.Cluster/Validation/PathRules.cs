using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Validation;

/// <summary>
/// Paths that name places on the host or inside a volume: absolute ones (mount paths, PV host paths) and relative ones
/// that must stay below their base (subPath, projected item paths). No '..' segment either way.
/// </summary>
internal static class PathRules
{
    public static void Absolute(string path, string field, List<FieldError> errors)
    {
        if (!path.StartsWith('/'))
        {
            errors.Add(FieldErrors.Invalid(field, path, "must be an absolute path"));
        }
        NoBacksteps(path, field, errors);
    }

    /// <summary>Relative and descending: kube-apiserver's rule for subPath.</summary>
    public static void Descending(string path, string field, List<FieldError> errors)
    {
        if (path.StartsWith('/'))
        {
            errors.Add(FieldErrors.Invalid(field, path, "must be a relative path"));
        }
        NoBacksteps(path, field, errors);
    }

    /// <summary>Descending and not hidden behind '..': the rule for the files a configMap or secret volume projects.</summary>
    public static void NonReserved(string path, string field, List<FieldError> errors)
    {
        Descending(path, field, errors);
        if (path.StartsWith("..", StringComparison.Ordinal))
        {
            errors.Add(FieldErrors.Invalid(field, path, "must not start with '..'"));
        }
    }

    private static void NoBacksteps(string path, string field, List<FieldError> errors)
    {
        if (path.Replace('\\', '/').Split('/').Contains(".."))
        {
            errors.Add(FieldErrors.Invalid(field, path, "must not contain '..'"));
        }
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add(FieldErrors.Invalid(field, path, "must not contain a NUL character"));
        }
    }
}
