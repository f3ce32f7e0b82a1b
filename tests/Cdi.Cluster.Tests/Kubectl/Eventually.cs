namespace Cdi.Cluster.Tests.Kubectl;

/// <summary>Waits for a condition with a deadline: tests never sleep a fixed time.</summary>
public static class Eventually
{
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(Cdi.Testing.Poll.Interval);
        }
        return await condition();
    }
}
