namespace Cdi.Testing.Registry;

/// <summary>Pushes an OCI layout's tag to a registry with the real skopeo.</summary>
public static class Skopeo
{
    public static void Push(string layout, string tag, string destination, string? credentials = null, bool all = false)
    {
        var args = new List<string> { "--insecure-policy", "copy", "--dest-tls-verify=false" };
        if (credentials is not null)
        {
            args.Add("--dest-creds");
            args.Add(credentials);
        }
        if (all)
        {
            args.Add("--all");
        }
        args.Add($"oci:{layout}:{tag}");
        args.Add(destination);
        var r = ProcessRunner.Run("skopeo", args, timeout: TimeSpan.FromMinutes(2));
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"skopeo copy to {destination} failed ({r.ExitCode}): {r.Stderr.Trim()}");
        }
    }
}
