using System.Runtime.InteropServices;
using Cdi.Worker.Cloning;
using Cdi.Worker.Importing;
using Cdi.Worker.Uploading;

namespace Cdi.Worker;

/// <summary>
/// The worker's commands and its dispatch: the pod's first argument picks one. A new worker command is one entry in
/// <see cref="All"/> (its code in its own folder here, or in a library): nothing else dispatches.
/// </summary>
internal static class WorkerCommands
{
    public static readonly IReadOnlyList<WorkerCommand> All =
    [
        ImporterCommand.Command,
        UploadServerCommand.Command,
        CloneSourceCommand.Command,
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 1 && args[0] is "--help" or "-h")
        {
            Console.Out.Write(Usage());
            return 0;
        }
        if (args.Length != 1 || All.FirstOrDefault(c => c.Name == args[0]) is not { } command)
        {
            // One line, as every other failure: scripts and the pod's log read stderr's first line.
            Console.Error.WriteLine(args.Length == 0
                ? $"error: name a command: {string.Join(", ", All.Select(c => c.Name))}"
                : $"error: unknown command or extra arguments '{string.Join(' ', args)}': the worker takes one of {string.Join(", ", All.Select(c => c.Name))} and reads its spec from the environment");
            return 2;
        }
        using var stopping = new CancellationTokenSource();
        // SIGTERM (the pod is being deleted) and SIGINT cancel the work; the command still writes its result and exits.
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        try
        {
            return await command.Run(stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Console.Error.WriteLine($"error: {command.Name} stopped by a signal");
            return 143;
        }

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }
    }

    private static string Usage() =>
        "cdi-worker: what cdi's worker pods run; each command reads its typed spec from the environment (docs/worker-contract.md)\n\n" +
        "Usage: cdi-worker <command>\n\nCommands:\n" +
        string.Concat(All.Select(c => $"  {c.Name,-16}{c.Description}\n"));
}
