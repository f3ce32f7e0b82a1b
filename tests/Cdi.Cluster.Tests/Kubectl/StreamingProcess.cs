using System.Diagnostics;
using System.Text;

namespace Cdi.Cluster.Tests.Kubectl;

/// <summary>A long-running kubectl (get -w, logs -f, wait) whose output lines are read as they arrive.</summary>
public sealed class StreamingProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    public StreamingProcess(ProcessStartInfo psi)
    {
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public Process Process => _process;

    /// <summary>Waits for exit; on timeout fails with everything the process printed.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{_process.StartInfo.FileName} {string.Join(' ', _process.StartInfo.ArgumentList)} did not exit within {timeout}; output so far:\n{Output}");
        }
        return _process.ExitCode;
    }

    public Task<bool> WaitForAsync(Func<string, bool> condition, TimeSpan timeout) =>
        Eventually.TrueAsync(() => Task.FromResult(condition(Output)), timeout);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
