using YamlDotNet.RepresentationModel;

namespace Cdi.Kube.Config;

/// <summary>
/// Finds and reads configuration. Order (controller-runtime's): explicit path, then the first file of
/// <c>$KUBECONFIG</c>, then in-cluster (service account + <c>KUBERNETES_SERVICE_HOST/PORT</c>), then
/// <c>~/.kube/config</c>: a pod uses its own identity even when its home folder holds someone's kubeconfig (pods of
/// the local cluster are processes that share the host's HOME).
/// </summary>
public static class KubeConfigLoader
{
    public static KubeConfig Load(string? path = null, string? context = null, KubeConfigEnvironment? environment = null)
    {
        var env = environment ?? KubeConfigEnvironment.FromProcess();
        if (!string.IsNullOrEmpty(path)) return FromFile(path, context);

        var fromVariable = env.GetVariable("KUBECONFIG")?
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(File.Exists);
        if (fromVariable is not null) return FromFile(fromVariable, context);

        if (IsInCluster(env)) return InCluster(env);
        if (env.HomeDirectory is { } home)
        {
            var standard = Path.Combine(home, ".kube", "config");
            if (File.Exists(standard)) return FromFile(standard, context);
        }
        throw new KubeConfigException("no kubeconfig found (explicit path, $KUBECONFIG, ~/.kube/config) and not running in a cluster");
    }

    public static KubeConfig FromFile(string path, string? context = null)
    {
        var text = File.ReadAllText(path);
        return Parse(text, context, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
    }

    public static bool IsInCluster(KubeConfigEnvironment env) =>
        !string.IsNullOrEmpty(env.GetVariable("KUBERNETES_SERVICE_HOST"))
        && File.Exists(Path.Combine(env.ServiceAccountDirectory, "token"));

    public static KubeConfig InCluster(KubeConfigEnvironment? environment = null)
    {
        var env = environment ?? KubeConfigEnvironment.FromProcess();
        var host = env.GetVariable("KUBERNETES_SERVICE_HOST");
        var port = env.GetVariable("KUBERNETES_SERVICE_PORT") ?? "443";
        if (string.IsNullOrEmpty(host)) throw new KubeConfigException("KUBERNETES_SERVICE_HOST is not set: not in a cluster");
        // An IPv6 service address needs brackets in a URL.
        var hostPart = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        var dir = env.ServiceAccountDirectory;
        var caFile = Path.Combine(dir, "ca.crt");
        var nsFile = Path.Combine(dir, "namespace");
        return new KubeConfig
        {
            Server = new Uri($"https://{hostPart}:{port}"),
            TokenFile = Path.Combine(dir, "token"),
            CertificateAuthorityPem = File.Exists(caFile) ? File.ReadAllText(caFile) : null,
            Namespace = File.Exists(nsFile) ? File.ReadAllText(nsFile).Trim() : "default",
        };
    }

    /// <summary>Parses kubeconfig YAML; relative file references resolve against <paramref name="baseDirectory"/>.</summary>
    public static KubeConfig Parse(string yaml, string? context, string baseDirectory)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml)) stream.Load(reader);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new KubeConfigException("kubeconfig is empty");

        var contextName = context ?? Scalar(root, "current-context");
        if (string.IsNullOrEmpty(contextName)) throw new KubeConfigException("kubeconfig has no current-context and none was given");
        var ctx = Named(root, "contexts", "context", contextName)
            ?? throw new KubeConfigException($"context \"{contextName}\" not found in kubeconfig");
        var clusterName = Scalar(ctx, "cluster") ?? throw new KubeConfigException($"context \"{contextName}\" names no cluster");
        var cluster = Named(root, "clusters", "cluster", clusterName)
            ?? throw new KubeConfigException($"cluster \"{clusterName}\" not found in kubeconfig");
        var userName = Scalar(ctx, "user");
        var user = userName is null ? null : Named(root, "users", "user", userName);
        if (userName is not null && user is null) throw new KubeConfigException($"user \"{userName}\" not found in kubeconfig");

        var server = Scalar(cluster, "server") ?? throw new KubeConfigException($"cluster \"{clusterName}\" has no server");
        return new KubeConfig
        {
            Server = new Uri(server),
            ContextName = contextName,
            Namespace = Scalar(ctx, "namespace") is { Length: > 0 } ns ? ns : "default",
            CertificateAuthorityPem = DataOrFile(cluster, "certificate-authority", baseDirectory),
            InsecureSkipTlsVerify = string.Equals(Scalar(cluster, "insecure-skip-tls-verify"), "true", StringComparison.OrdinalIgnoreCase),
            TlsServerName = Scalar(cluster, "tls-server-name"),
            Token = user is null ? null : Scalar(user, "token"),
            TokenFile = user is null ? null : Resolve(Scalar(user, "tokenFile"), baseDirectory),
            ClientCertificatePem = user is null ? null : DataOrFile(user, "client-certificate", baseDirectory),
            ClientKeyPem = user is null ? null : DataOrFile(user, "client-key", baseDirectory),
        };
    }

    // kubeconfig lists are [{name: x, <field>: {...}}]: find the entry by name and return its inner mapping.
    private static YamlMappingNode? Named(YamlMappingNode root, string list, string field, string name)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode(list), out var node) || node is not YamlSequenceNode seq) return null;
        foreach (var entry in seq.Children.OfType<YamlMappingNode>())
        {
            if (Scalar(entry, "name") == name)
                return entry.Children.TryGetValue(new YamlScalarNode(field), out var inner) && inner is YamlMappingNode map ? map : new YamlMappingNode();
        }
        return null;
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar ? scalar.Value : null;

    // "<field>-data" holds base64 PEM inline; "<field>" names a file.
    private static string? DataOrFile(YamlMappingNode map, string field, string baseDirectory)
    {
        if (Scalar(map, field + "-data") is { Length: > 0 } data)
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(data));
        return Resolve(Scalar(map, field), baseDirectory) is { } file ? File.ReadAllText(file) : null;
    }

    private static string? Resolve(string? file, string baseDirectory) =>
        string.IsNullOrEmpty(file) ? null : Path.IsPathRooted(file) ? file : Path.Combine(baseDirectory, file);
}
