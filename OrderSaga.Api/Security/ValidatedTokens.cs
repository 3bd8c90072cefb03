using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace OrderSaga.Api.Security;

/// <summary>
/// Bearer tokens already validated, remembered until they expire, so a client's every request does not pay for
/// checking the same signature again. A token is remembered for <see cref="ValidatedTokenOptions.MaxAge"/> at
/// most, so a signing key withdrawn from the configuration stops admitting its tokens within that time. Only
/// tokens that passed validation are kept, and no more than <see cref="ValidatedTokenOptions.MaxTokens"/>.
/// </summary>
public sealed class ValidatedTokens(IOptions<ValidatedTokenOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Remembered> _tokens = new(StringComparer.Ordinal);

    /// <summary>The principal of a token validated before and not yet expired; null otherwise.</summary>
    public ClaimsPrincipal? Recall(string token)
    {
        if (!_tokens.TryGetValue(token, out var remembered))
        {
            return null;
        }

        if (remembered.Until > time.GetUtcNow())
        {
            return remembered.Principal;
        }

        _tokens.TryRemove(new KeyValuePair<string, Remembered>(token, remembered));
        return null;
    }

    public void Remember(string token, ClaimsPrincipal principal, DateTimeOffset expires)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var until = expires < now + settings.MaxAge ? expires : now + settings.MaxAge;
        if (until <= now)
        {
            return;
        }

        if (_tokens.Count >= settings.MaxTokens)
        {
            Forget(now);
        }

        _tokens[token] = new Remembered(principal, until);
    }

    /// <summary>Drops the expired tokens; when none has expired, all of them (they are validated again on use).</summary>
    private void Forget(DateTimeOffset now)
    {
        foreach (var (token, remembered) in _tokens)
        {
            if (remembered.Until <= now)
            {
                _tokens.TryRemove(token, out _);
            }
        }

        if (_tokens.Count >= options.Value.MaxTokens)
        {
            _tokens.Clear();
        }
    }

    /// <summary>Hooks into the bearer handler: a remembered token skips validation, a newly validated one is remembered.</summary>
    public JwtBearerEvents Events(JwtBearerEvents events)
    {
        var received = events.OnMessageReceived;
        var validated = events.OnTokenValidated;
        events.OnMessageReceived = async context =>
        {
            await received(context);
            if (context.Result is null && BearerToken(context.Request) is { } token && Recall(token) is { } principal)
            {
                context.Principal = principal;
                context.Success();
            }
        };
        events.OnTokenValidated = async context =>
        {
            await validated(context);
            if (context.Result is null && context.Principal is { } principal && context.SecurityToken is { } token
                && BearerToken(context.Request) is { } raw)
            {
                Remember(raw, principal, new DateTimeOffset(token.ValidTo, TimeSpan.Zero));
            }
        };
        return events;
    }

    private static string? BearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : null;

    private sealed record Remembered(ClaimsPrincipal Principal, DateTimeOffset Until);
}
