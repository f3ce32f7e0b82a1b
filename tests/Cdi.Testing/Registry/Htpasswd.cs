namespace Cdi.Testing.Registry;

/// <summary>A bcrypt htpasswd line (the only hash docker-registry accepts): apache2-utils' htpasswd, else python3's crypt.</summary>
public static class Htpasswd
{
    public static string Line(string user, string password)
    {
        if (File.Exists("/usr/bin/htpasswd"))
        {
            var r = ProcessRunner.Run("/usr/bin/htpasswd", ["-nbB", user, password]);
            if (r.ExitCode == 0)
            {
                return r.Stdout.Trim();
            }
        }
        var py = ProcessRunner.Run("python3", ["-W", "ignore", "-c",
            "import crypt,sys; print(sys.argv[1] + ':' + crypt.crypt(sys.argv[2], crypt.mksalt(crypt.METHOD_BLOWFISH)))", user, password]);
        if (py.ExitCode != 0 || !py.Stdout.Contains(":$2", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"cannot make a bcrypt htpasswd line: install apache2-utils (scripts/ensure-deps.sh). {py.Stderr}");
        }
        return py.Stdout.Trim();
    }
}
