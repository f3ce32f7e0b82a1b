namespace Cdi.Doctor.Tests.Live;

/// <summary>The system clock moved ahead, so a snapshot of the real cluster is taken "later" without waiting for it.</summary>
public sealed class ShiftedClock(TimeSpan ahead) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
}
