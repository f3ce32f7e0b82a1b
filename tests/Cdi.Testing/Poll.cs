namespace Cdi.Testing;

/// <summary>How often condition waits look again. Waits always end on a condition or a deadline, never on the interval alone.</summary>
public static class Poll
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
}
