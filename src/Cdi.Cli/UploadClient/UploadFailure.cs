namespace Cdi.Cli.UploadClient;

/// <summary>Why <c>cdi upload</c> stops: one line for stderr and the exit code (2 for what the user gave, 1 for what happened).</summary>
internal sealed class UploadFailure(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
