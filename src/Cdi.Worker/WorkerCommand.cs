namespace Cdi.Worker;

/// <summary>
/// One thing a worker pod runs, named by the pod's first argument (<c>cdi-worker importer</c>). Workers take their
/// input from the environment (a typed spec), so a command is a name and an entry point, with no options to parse.
/// </summary>
/// <param name="Run">The work; the token is cancelled on SIGTERM or SIGINT. Returns the exit code.</param>
internal sealed record WorkerCommand(string Name, string Description, Func<CancellationToken, Task<int>> Run);
