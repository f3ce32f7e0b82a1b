namespace Cdi.Cluster.Tests.Node;

/// <summary>Polls a condition until it holds or the deadline passes: no fixed sleeps.</summary>
public static class NodeWait
{
    public static async Task<T> ForAsync<T>(Func<Task<T?>> probe, Func<T, bool> condition, string what, int seconds = 40) where T : class
    {
        T? last = null;
        var held = await Cdi.Testing.Poll.UntilAsync(async () =>
        {
            last = await probe();
            return last is not null && condition(last);
        }, TimeSpan.FromSeconds(seconds));
        return held ? last! : throw new TimeoutException($"timed out waiting for {what}; last seen: {System.Text.Json.JsonSerializer.Serialize<object?>(last)}");
    }

    public static Task UntilAsync(Func<bool> condition, string what, int seconds = 40) =>
        Cdi.Testing.Poll.OrThrowAsync(condition, TimeSpan.FromSeconds(seconds), () => what);
}
