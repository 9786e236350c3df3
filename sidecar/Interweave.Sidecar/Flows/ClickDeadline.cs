using System.Threading.RateLimiting;
using Interweave.Sidecar.Flows.Engine;
using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Flows;

/// <summary>
/// A click's work runs to its end whatever happens to the request; the click waits for it only until the deadline
/// (<see cref="ButtonOptions.AnswerWithinSeconds"/>). Work that ends later and fails shows its failure on the record,
/// since nobody is waiting to be told.
/// </summary>
public sealed class ClickDeadline(IOptions<ButtonOptions> options, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<ClickDeadline> log) : IDisposable
{
    private readonly ConcurrencyLimiter _inProgress = new(new ConcurrencyLimiterOptions { PermitLimit = options.Value.MaxClicksInProgress, QueueLimit = 0 });

    /// <summary>
    /// The finished work, to answer with; or null when it is still going at the deadline. Refused (Overloaded) at once
    /// when <see cref="ButtonOptions.MaxClicksInProgress"/> clicks are under way.
    /// </summary>
    public async Task<Task<T>?> WaitAsync<T>(Func<CancellationToken, Task<T>> work, Func<Exception, Task> showLateFailure)
    {
        var slot = _inProgress.AttemptAcquire();
        if (!slot.IsAcquired)
        {
            slot.Dispose();
            log.LogWarning("A click was refused: {Count} clicks are under way", options.Value.MaxClicksInProgress);
            throw new FlowRefusedException(RefusalReason.Overloaded, "Too many clicks under way",
                $"{options.Value.MaxClicksInProgress} button actions are already under way (Interweave:Buttons:MaxClicksInProgress); try again in a few seconds.");
        }

        var running = Task.Run(async () =>
        {
            using (slot) return await work(lifetime.ApplicationStopping); // the slot is free before anyone hears the outcome
        }, CancellationToken.None);
        var deadline = Task.Delay(TimeSpan.FromSeconds(options.Value.AnswerWithinSeconds), time, CancellationToken.None);
        if (await Task.WhenAny(running, deadline) == running) return running;

        log.LogInformation("A click's work outlasted {Seconds} s; it goes on in the background", options.Value.AnswerWithinSeconds);
        _ = running.ContinueWith(async finished =>
        {
            if (finished.Exception?.InnerException is not { } failure) return;
            log.LogWarning(failure, "A click's work failed after its click was answered");
            try
            {
                await showLateFailure(failure);
            }
            catch (Exception ex)
            {
                log.LogWarning(ex, "Could not show a late failure on its record");
            }
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        return null;
    }

    public void Dispose() => _inProgress.Dispose();
}
