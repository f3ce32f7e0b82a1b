using System.Diagnostics;

namespace Cdi.Importer.Core.Tests.TestSupport;

/// <summary>Runs the real CLI tools (xz, qemu-img, …) that produce test inputs; a failing tool fails the test with its stderr.</summary>
public static class Shell
{
    public static string Run(string command, string workingDirectory)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start /bin/sh");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{command}` exited with {process.ExitCode}: {stderr.Result}");
        }

        return stdout;
    }
}
