using System.Reflection;

namespace OrderSaga.Messaging.Events;

/// <summary>The <c>type</c> an event payload record goes by on the topic, whatever the record is called.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class WireNameAttribute(string name) : Attribute
{
    public string Name => name;

    /// <summary>The declared wire name of <paramref name="payload"/>; throws for a record that declares none.</summary>
    public static string Of(Type payload) => payload.GetCustomAttribute<WireNameAttribute>()?.Name
        ?? throw new InvalidOperationException($"{payload.Name} declares no [WireName]: an event's type on the topic is part of the contract.");
}
