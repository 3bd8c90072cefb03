using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OrderSaga.Tests.Infrastructure;

namespace OrderSaga.Tests.Security;

/// <summary>
/// An identity provider as small as an api outside Development needs one to be: OpenID Connect discovery and a key
/// set on a loopback port, and tokens signed with its key, which never leaves this process. It stands in for the
/// Authority a deployment sets (Entra ID, Keycloak, Auth0…).
/// </summary>
public sealed class LocalIdentityProvider : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly RSA _key = RSA.Create(2048);
    private readonly string _keyId = Guid.NewGuid().ToString("N");

    private LocalIdentityProvider(string audience)
    {
        Audience = audience;
        Issuer = $"http://127.0.0.1:{LocalPorts.Free()}/";
        _listener.Prefixes.Add(Issuer);
        _listener.Start();
        _ = ServeAsync();
    }

    /// <summary>What the api's <c>Authentication:Schemes:Bearer:Authority</c> is set to.</summary>
    public string Issuer { get; }

    public string Audience { get; }

    public static LocalIdentityProvider Start(string audience) => new(audience);

    /// <summary>A token for <paramref name="userId"/>, signed with the provider's key.</summary>
    public string Issue(string userId) => Sign(userId, new RsaSecurityKey(_key) { KeyId = _keyId });

    /// <summary>A token that names the provider as its issuer but is signed with a key the provider never published.</summary>
    public string IssueWithForeignKey(string userId)
    {
        using var foreign = RSA.Create(2048);
        return Sign(userId, new RsaSecurityKey(foreign.ExportParameters(includePrivateParameters: true)) { KeyId = Guid.NewGuid().ToString("N") });
    }

    private string Sign(string userId, SecurityKey key) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, userId)]),
        Expires = DateTime.UtcNow.AddMinutes(10),
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
    });

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var body = context.Request.Url?.AbsolutePath switch
            {
                "/.well-known/openid-configuration" => JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["issuer"] = Issuer,
                    ["jwks_uri"] = $"{Issuer}keys",
                    ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256 },
                }),
                "/keys" => KeySet(),
                _ => null,
            };
            context.Response.StatusCode = body is null ? 404 : 200;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body ?? "{}"));
            context.Response.Close();
        }
    }

    private string KeySet()
    {
        var parameters = _key.ExportParameters(includePrivateParameters: false);
        return JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", alg = SecurityAlgorithms.RsaSha256, kid = _keyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
            },
        });
    }

    public void Dispose()
    {
        _listener.Close();
        _key.Dispose();
    }
}
