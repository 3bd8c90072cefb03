using Npgsql;
using OrderSaga.Data;

namespace OrderSaga.Tests.Unit;

public sealed class DatabasePoolOptionsTests
{
    private const string Server = "Host=db;Port=5432;Username=ordersaga;Password=secret;Database=ordersaga";

    [Fact]
    public void A_process_holds_at_most_the_configured_connections()
    {
        var bounded = new NpgsqlConnectionStringBuilder(new DatabasePoolOptions { MaxSize = 7 }.Pooled(Server));

        Assert.Equal(7, bounded.MaxPoolSize);
        Assert.Equal(("db", "ordersaga", "secret"), (bounded.Host, bounded.Database, bounded.Password));
    }

    [Fact]
    public void By_default_a_fifth_of_what_Npgsql_would_open()
    {
        Assert.Equal(20, new NpgsqlConnectionStringBuilder(new DatabasePoolOptions().Pooled(Server)).MaxPoolSize);
    }

    [Theory]
    [InlineData("Maximum Pool Size=50")]
    [InlineData("MaxPoolSize=50")]
    public void A_size_the_connection_string_states_itself_wins(string stated)
    {
        Assert.Equal(50, new NpgsqlConnectionStringBuilder(new DatabasePoolOptions { MaxSize = 7 }.Pooled($"{Server};{stated}")).MaxPoolSize);
    }

    [Fact]
    public void Connections_go_back_to_the_pool_without_a_reset_unless_the_connection_string_asks_for_one()
    {
        Assert.True(new NpgsqlConnectionStringBuilder(new DatabasePoolOptions().Pooled(Server)).NoResetOnClose);
        Assert.True(new NpgsqlConnectionStringBuilder(new DatabasePoolOptions().Pooled($"{Server};Maximum Pool Size=50")).NoResetOnClose);
        Assert.False(new NpgsqlConnectionStringBuilder(new DatabasePoolOptions().Pooled($"{Server};No Reset On Close=false")).NoResetOnClose);
    }
}
