using System.Security.Cryptography;
using System.Text;

namespace Cdi.Cluster.Hosting;

/// <summary>DIR/kubeconfig (cluster with the CA, a bearer-token user, one context) and the token it carries.</summary>
internal static class KubeconfigFile
{
    public const string ContextName = "cdi-local";

    /// <summary>The token survives restarts, so kubeconfigs copied elsewhere keep working.</summary>
    public static string LoadOrCreateToken(string dir)
    {
        var path = ClusterFiles.Token(dir);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } existing)
        {
            return existing;
        }
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        PrivateState.Write(path, token);
        return token;
    }

    public static void Write(string path, Uri server, string caPem, string token)
    {
        var ca = Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem));
        var text = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {ContextName}
              cluster:
                server: {server.GetLeftPart(UriPartial.Authority)}
                certificate-authority-data: {ca}
            users:
            - name: {ContextName}-admin
              user:
                token: {token}
            contexts:
            - name: {ContextName}
              context:
                cluster: {ContextName}
                user: {ContextName}-admin
                namespace: default
            current-context: {ContextName}

            """;
        // Write then rename: a reader never sees half a kubeconfig.
        var temp = path + ".tmp";
        PrivateState.Write(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
