namespace Interweave.Sidecar.Tests.Infrastructure;

/// <summary>
/// The host's clock in tests: the system's time moved by an offset the test sets. Timers and delays keep running
/// in real time (retries, timeouts and waits must not stall), while "now" (run starts, watermarks, error times)
/// is wherever the test puts it. A FakeTimeProvider would stop every delay in the host until a test advanced it.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
