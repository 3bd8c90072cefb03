using OrderSaga.Messaging.Outbox;

namespace OrderSaga.Tests.Unit;

public sealed class OutboxSignalTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Commits_before_the_relay_wakes_cost_it_one_wake_up()
    {
        var signal = new OutboxSignal();
        for (var commit = 0; commit < 1000; commit++)
        {
            signal.Notify();
        }

        await signal.WaitAsync(Poll, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        using var stop = new CancellationTokenSource();
        var second = signal.WaitAsync(Poll, stop.Token);
        Assert.NotSame(second, await Task.WhenAny(second, Task.Delay(TimeSpan.FromMilliseconds(200))));
        await stop.CancelAsync();
    }

    [Fact]
    public async Task A_commit_after_the_relay_woke_wakes_it_again()
    {
        var signal = new OutboxSignal();
        signal.Notify();
        await signal.WaitAsync(Poll, CancellationToken.None);

        var next = signal.WaitAsync(Poll, CancellationToken.None);
        signal.Notify();

        await next.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_wake_up_released_as_a_wait_times_out_is_taken_by_the_next_wait_and_never_overflows()
    {
        var signal = new OutboxSignal();
        await signal.WaitAsync(TimeSpan.FromMilliseconds(1), CancellationToken.None);
        signal.Notify();
        signal.Notify();

        await signal.WaitAsync(Poll, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        signal.Notify();
        await signal.WaitAsync(Poll, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }
}
