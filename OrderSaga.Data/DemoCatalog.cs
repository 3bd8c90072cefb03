using OrderSaga.Data.Entities;

namespace OrderSaga.Data;

/// <summary>The demo products seeded by the initial migration; <c>prod-webcam</c> has no stock on purpose.</summary>
public static class DemoCatalog
{
    public static readonly Product[] Products =
    [
        new() { Id = "prod-mouse", Name = "Wireless Mouse", Price = 25.00m, Stock = 1000 },
        new() { Id = "prod-keyboard", Name = "Mechanical Keyboard", Price = 79.90m, Stock = 500 },
        new() { Id = "prod-monitor", Name = "27\" Monitor", Price = 249.00m, Stock = 200 },
        new() { Id = "prod-headset", Name = "USB Headset", Price = 59.00m, Stock = 300 },
        new() { Id = "prod-webcam", Name = "HD Webcam", Price = 49.00m, Stock = 0 },
    ];
}
