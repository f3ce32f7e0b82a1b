namespace Cdi.Cluster.Kubelet;

/// <summary>
/// Turns a container's command and args into arguments for one of the two programs the cdi image holds: cdi, and
/// cdi-worker (the native binary worker pods run, see <see cref="RunsWorker"/>).
/// Rule: the image's entrypoint is cdi, so with no command the args go to cdi as they are. With a command, its first
/// element must name cdi or cdi-worker (the name, or any path ending in "/cdi" or "/cdi-worker"): it is dropped and the
/// rest of the command, then the args, go to that program. Any other program cannot run on this node (null).
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
            if (!Names(program, "cdi") && !Names(program, WorkerProgram)) return null;
            result.AddRange(command.Skip(1));
        }
        if (args is not null) result.AddRange(args);
        return [.. result.Select(a => Expand(a, environment))];
    }

    /// <summary>The program worker pods name as their command (<c>["cdi-worker", "importer"]</c>).</summary>
    public const string WorkerProgram = "cdi-worker";

    /// <summary>True when the command runs cdi-worker rather than cdi.</summary>
    public static bool RunsWorker(IReadOnlyList<string>? command) => command is { Count: > 0 } && Names(command[0], WorkerProgram);

    private static bool Names(string program, string name) =>
        program == name || (program.EndsWith(name, StringComparison.Ordinal) && program[^(name.Length + 1)] == '/');

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
