using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using OrderSaga.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderSaga.Tests.Board;

/// <summary>
/// The board in a real browser (Debian's Chromium, driven by Playwright): a newcomer opens it, places demo orders
/// and watches them go through the saga, without reloading.
/// </summary>
[Collection(SagaAppCollection.Name)]
public sealed class BoardBrowserTests(SagaAppFixture fixture, ITestOutputHelper output)
{
    /// <summary>Debian's Chromium (<c>apt-get install chromium</c>); Playwright's own browser download cannot work offline.</summary>
    private const string Chromium = "/usr/bin/chromium";
    private const float Timeout = 60_000;

    [Fact]
    public async Task Demo_orders_move_through_the_saga_live()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // As root in CI there is no sandbox; the network flags stop Chromium calling home on a closed network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        page.SetDefaultTimeout(Timeout);
        var token = await fixture.Tokens.ForAdminAsync(SagaAppFixture.AdminUser);

        await page.GotoAsync($"{fixture.App.GetEndpoint(ResourceNames.Operator, "http")}board/#token={token}");
        await page.Locator("#connection.live").WaitForAsync();
        // The orders the stream began with are drawn: only rows that come after them are the demo's.
        await page.Locator("#orders[data-loaded='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var before = (await page.Locator("#orders tr").EvaluateAllAsync<string[]>("rows => rows.map(row => row.dataset.orderId)")).ToHashSet();

        await page.GetByRole(AriaRole.Button, new() { Name = "Place demo orders" }).ClickAsync();

        // Four new rows, every one of them final, the webcam among them out of stock: the two paths of the saga.
        await page.WaitForFunctionAsync("""
            before => {
              const rows = [...document.querySelectorAll('#orders tr')].filter(row => !before.includes(row.dataset.orderId));
              return rows.length >= 4 && rows.every(row => row.dataset.status === 'SHIPPED' || row.dataset.status === 'CANCELLED')
                && rows.some(row => row.textContent.includes('OUT_OF_STOCK'));
            }
            """, before.ToArray(), new() { Timeout = Timeout });
        var placed = (await page.Locator("#orders tr").EvaluateAllAsync<string[]>("rows => rows.map(row => row.dataset.orderId)"))
            .Where(id => !before.Contains(id)).ToList();
        foreach (var orderId in placed)
        {
            Assert.True(await page.Locator($"#envelopes li[data-order-id='{orderId}'][data-type='OrderCreated']").CountAsync() > 0, $"no OrderCreated envelope shown for {orderId}");
        }

        await page.Locator($"#orders tr[data-order-id='{placed[0]}']").ClickAsync();
        await page.Locator("#detail-trail li", new() { HasText = "OrderCreated" }).WaitForAsync();
        await page.FillAsync("#filter-order", placed[0]);
        await page.WaitForFunctionAsync("""
            orderId => {
              const shown = [...document.querySelectorAll('#envelopes li')];
              return shown.length >= 2 && shown.every(item => item.dataset.orderId === orderId);
            }
            """, placed[0]);

        var screenshot = Path.Combine(AppContext.BaseDirectory, "saga-board.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        output.WriteLine($"Screenshot: {screenshot}");
    }
}
