using System.Text;
using OrderSaga.Data.Caching;

namespace OrderSaga.Tests.Unit;

public sealed class CachedOrderViewTests
{
    [Fact]
    public void The_owner_is_read_from_the_cached_json_which_is_answered_as_it_is()
    {
        var json = Encoding.UTF8.GetBytes("""{"order_id":"0193a1b2-0000-7000-8000-000000000001","items":[{"product_id":"user_id","qty":1}],"user_id":"alice","status":"SHIPPED"}""");

        var cached = CachedOrderView.Read(json);

        Assert.Equal("alice", cached?.UserId);
        Assert.Same(json, cached?.Json);
    }

    [Theory]
    [InlineData("""{"order_id":"0193a1b2-0000-7000-8000-000000000001","status":"SHIPPED"}""")]
    [InlineData("""{"user_id":null}""")]
    [InlineData("""["user_id","alice"]""")]
    public void Cached_json_without_an_owner_is_not_answered_from(string json) =>
        Assert.Null(CachedOrderView.Read(Encoding.UTF8.GetBytes(json)));
}
