using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OrderSaga.Data.Redis;
using OrderSaga.Topology;
using StackExchange.Redis;

namespace OrderSaga.Api.Security;

/// <summary>Bearer authentication, the per-user order limit (shared by the replicas) and request timeouts.</summary>
public static class ApiSecurity
{
    public static IHostApplicationBuilder AddApiSecurity(this IHostApplicationBuilder builder)
    {
        // Reads Authentication:Schemes:Bearer: in Development the issuer, audiences and signing key that
        // `dotnet user-jwts` keeps in appsettings.Development.json and the user secrets; elsewhere an Authority.
        builder.Services.AddAuthentication().AddJwtBearer();
        builder.Services.AddOptions<ValidatedTokenOptions>().BindConfiguration(ValidatedTokenOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ValidatedTokens>();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<ValidatedTokens>((bearer, tokens) => bearer.Events = tokens.Events(bearer.Events ?? new JwtBearerEvents()));
        builder.Services.AddAuthorization();

        builder.AddFailFastRedisClient();
        builder.Services.AddOptions<OrderRateLimitOptions>().BindConfiguration(OrderRateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(ApiPolicies.OrderPlacement, context =>
            {
                var services = context.RequestServices;
                return RateLimitPartition.Get(context.User.UserId() ?? string.Empty, userId => new SharedOrderRateLimiter(
                    userId,
                    services.GetRequiredService<IConnectionMultiplexer>(),
                    services.GetRequiredService<IOptions<OrderRateLimitOptions>>().Value,
                    services.GetRequiredService<ILogger<SharedOrderRateLimiter>>()));
            });
            limiter.OnRejected = RejectAsync;
        });

        builder.Services.AddOptions<ApiTimeoutOptions>().BindConfiguration(ApiTimeoutOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRequestTimeouts();
        builder.Services.AddOptions<RequestTimeoutOptions>()
            .Configure<IOptions<ApiTimeoutOptions>>((timeouts, configured) => timeouts.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = configured.Value.Request,
                TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
            });
        return builder;
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many orders",
                Detail = $"You are placing orders faster than allowed; try again in {context.Response.Headers.RetryAfter} s.",
            },
        });
    }
}
