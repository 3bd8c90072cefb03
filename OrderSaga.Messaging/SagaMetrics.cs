using System.Diagnostics.Metrics;
using OrderSaga.Messaging.Consuming;

namespace OrderSaga.Messaging;

/// <summary>The saga's business metrics, exported to the dashboard under the meter <c>OrderSaga.Saga</c>.</summary>
public sealed class SagaMetrics
{
    public const string MeterName = "OrderSaga.Saga";

    private readonly Counter<long> _ordersCreated;
    private readonly Counter<long> _ordersCompleted;
    private readonly Histogram<double> _sagaDuration;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _ordersRedriven;
    private readonly Counter<long> _outboxSetAside;
    private readonly Counter<long> _ordersGivenUp;

    public SagaMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _ordersCreated = meter.CreateCounter<long>("ordersaga.orders.created", "{order}", "Orders accepted by POST /orders");
        _ordersCompleted = meter.CreateCounter<long>("ordersaga.orders.completed", "{order}", "Orders that reached a terminal status, by outcome");
        _sagaDuration = meter.CreateHistogram<double>("ordersaga.saga.duration", "s", "Time from order creation to its terminal status");
        _deadLettered = meter.CreateCounter<long>("ordersaga.messages.dead_lettered", "{message}", "Messages parked on the dead-letter topic");
        _ordersRedriven = meter.CreateCounter<long>("ordersaga.orders.redriven", "{order}", "Stuck orders whose latest event the reconciler published again");
        _ordersGivenUp = meter.CreateCounter<long>("ordersaga.orders.given_up", "{order}", "Orders the reconciler cancelled as TIMED_OUT because they could not finish");
        _outboxSetAside = meter.CreateCounter<long>("ordersaga.outbox.set_aside", "{message}", "Outbox rows the broker refused for good, set aside instead of retried");
    }

    public void OrderCreated() => _ordersCreated.Add(1);

    /// <param name="outcome">shipped, out_of_stock or payment_declined.</param>
    public void OrderCompleted(string outcome, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("ordersaga.outcome", outcome);
        _ordersCompleted.Add(1, tag);
        _sagaDuration.Record(duration.TotalSeconds, tag);
    }

    public void OrderRedriven(string eventType) =>
        _ordersRedriven.Add(1, new KeyValuePair<string, object?>("ordersaga.event.type", eventType));

    public void OrderGivenUp(string status) =>
        _ordersGivenUp.Add(1, new KeyValuePair<string, object?>("ordersaga.order.status", status));

    public void OutboxSetAside(string eventType) =>
        _outboxSetAside.Add(1, new KeyValuePair<string, object?>("ordersaga.event.type", eventType));

    public void DeadLettered(string consumerGroup, DeadLetterReason reason) =>
        _deadLettered.Add(1,
            new KeyValuePair<string, object?>("messaging.consumer.group.name", consumerGroup),
            new KeyValuePair<string, object?>("ordersaga.dead_letter.reason", reason.ToString()));
}
