namespace Cdi.Cluster.Tests.Node;

/// <summary>Polls a condition until it holds or the deadline passes: no fixed sleeps.</summary>
public static class NodeWait
{
    public static async Task<T> ForAsync<T>(Func<Task<T?>> probe, Func<T, bool> condition, string what, int seconds = 40) where T : class
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        T? last = null;
        while (true)
        {
            last = await probe();
            if (last is not null && condition(last)) return last;
            try
            {
                await Task.Delay(Cdi.Testing.Poll.Interval, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"timed out waiting for {what}; last seen: {System.Text.Json.JsonSerializer.Serialize<object?>(last)}");
            }
        }
    }

    public static async Task UntilAsync(Func<bool> condition, string what, int seconds = 40)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (!condition())
        {
            try
            {
                await Task.Delay(Cdi.Testing.Poll.Interval, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }
        }
    }
}
