using Microsoft.Extensions.Options;

namespace Interweave.Sidecar.Flows;

/// <summary>
/// A click's work runs to its end whatever happens to the request; the click waits for it only until the deadline
/// (<see cref="ButtonOptions.AnswerWithinSeconds"/>). Work that ends later and fails shows its failure on the record,
/// since nobody is waiting to be told.
/// </summary>
public sealed class ClickDeadline(IOptions<ButtonOptions> options, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<ClickDeadline> log)
{
    /// <summary>The finished work, to answer with; or null when it is still going at the deadline.</summary>
    public async Task<Task<T>?> WaitAsync<T>(Func<CancellationToken, Task<T>> work, Func<Exception, Task> showLateFailure)
    {
        var running = Task.Run(() => work(lifetime.ApplicationStopping), CancellationToken.None);
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
}
