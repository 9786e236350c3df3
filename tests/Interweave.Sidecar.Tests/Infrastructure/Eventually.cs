namespace Interweave.Sidecar.Tests.Infrastructure;

/// <summary>Polls until a condition holds or a deadline passes: bounded by time, not by a count of tries.</summary>
internal static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan deadline, string what, CancellationToken cancellationToken)
    {
        var until = DateTimeOffset.UtcNow + deadline;
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (DateTimeOffset.UtcNow > until) throw new TimeoutException($"{what} did not happen within {deadline.TotalSeconds} s.");
            await Task.Delay(50, cancellationToken);
        }
    }
}
