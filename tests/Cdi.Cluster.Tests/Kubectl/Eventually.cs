namespace Cdi.Cluster.Tests.Kubectl;

/// <summary>Waits for a condition with a deadline: tests never sleep a fixed time.</summary>
public static class Eventually
{
    public static Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan timeout) => Cdi.Testing.Poll.UntilAsync(condition, timeout);
}
