namespace Cdi.Cluster.Kubelet;

/// <summary>
/// Turns a container's command and args into arguments for the local cdi binary.
/// Rule: the image's entrypoint is cdi, so with no command the args go to cdi as they are. With a command, its first
/// element must name cdi ("cdi", or any path ending in "/cdi" such as "/usr/bin/cdi"): it is dropped and the rest of
/// the command, then the args, go to cdi. Any other program cannot run on this node (null).
/// Kubernetes' $(VAR) references are expanded from the container's environment; $$ stands for a literal $.
/// </summary>
internal static class ContainerCommand
{
    public static IReadOnlyList<string>? ArgumentsFor(IReadOnlyList<string>? command, IReadOnlyList<string>? args,
        IReadOnlyDictionary<string, string> environment)
    {
        var result = new List<string>();
        if (command is { Count: > 0 })
        {
            var program = command[0];
            if (program != "cdi" && !program.EndsWith("/cdi", StringComparison.Ordinal)) return null;
            result.AddRange(command.Skip(1));
        }
        if (args is not null) result.AddRange(args);
        return [.. result.Select(a => Expand(a, environment))];
    }

    public static string Expand(string value, IReadOnlyDictionary<string, string> environment)
    {
        if (!value.Contains('$', StringComparison.Ordinal)) return value;
        var output = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '$' && i + 1 < value.Length && value[i + 1] == '$')
            {
                output.Append('$');
                i++;
            }
            else if (value[i] == '$' && i + 1 < value.Length && value[i + 1] == '(' && value.IndexOf(')', i + 2) is var close and > 0
                     && environment.TryGetValue(value[(i + 2)..close], out var replacement))
            {
                output.Append(replacement);
                i = close;
            }
            else
            {
                output.Append(value[i]);
            }
        }
        return output.ToString();
    }
}
