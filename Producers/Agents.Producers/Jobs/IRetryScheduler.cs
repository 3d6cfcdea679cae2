namespace Agents.Producers.Jobs;

/// <summary>Schedules the retry of a job target after a DeliveryTimedOut.</summary>
public interface IRetryScheduler
{
    Task ScheduleAsync(Guid jobId, int seq, int afterAttempt, DateTimeOffset at);
}
