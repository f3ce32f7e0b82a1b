namespace Cdi.Kube.Tests.Support;

/// <summary>Waits for a condition, polling, with a deadline: tests never sleep a fixed time.</summary>
public static class Eventually
{
    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        Cdi.Testing.Poll.OrThrowAsync(condition, timeout ?? TimeSpan.FromSeconds(30), () => what, TimeSpan.FromMilliseconds(50));

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout);
}
