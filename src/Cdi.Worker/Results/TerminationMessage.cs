using System.Text.Json;
using Cdi.Api;
using Cdi.Api.Contracts;
using Cdi.Kube.Local;

namespace Cdi.Worker.Results;

/// <summary>The worker's result as its container's termination message: JSON, within what Kubernetes keeps.</summary>
internal static class TerminationMessage
{
    private const int Limit = 4096;

    /// <summary>
    /// How every worker command ends: the result as the termination message, its one line for people (stdout on
    /// success, stderr on failure), and the exit code that goes with it.
    /// </summary>
    public static int Report((ImporterResult Result, int ExitCode) outcome)
    {
        Write(outcome.Result);
        if (outcome.Result.Succeeded)
        {
            Console.Out.WriteLine(outcome.Result.Message);
        }
        else
        {
            Console.Error.WriteLine($"error: {outcome.Result.Message}");
        }
        return outcome.ExitCode;
    }

    public static void Write(ImporterResult result)
    {
        var path = LocalPaths.TerminationLog();
        var bytes = JsonSerializer.SerializeToUtf8Bytes(result, ApiJsonContext.Default.ImporterResult);
        if (bytes.Length > Limit)
        {
            // Kubernetes truncates longer messages; shorten ours so it stays valid JSON.
            bytes = JsonSerializer.SerializeToUtf8Bytes(result with { Message = result.Message[..Math.Min(result.Message.Length, 1024)] },
                ApiJsonContext.Default.ImporterResult);
        }
        try
        {
            File.WriteAllBytes(path, bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"cannot write the termination message to {path}: {e.Message}");
        }
    }
}
