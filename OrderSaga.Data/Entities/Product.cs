namespace OrderSaga.Data.Entities;

public sealed class Product
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public decimal Price { get; set; }
    public int Stock { get; set; }
}
