using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The data-protection key ring of a service lives in its process's memory and nowhere else. The services sign nobody
/// in with cookies and keep no antiforgery or other protected payload: callers bring bearer tokens, and nothing they
/// protect outlives the process or crosses replicas. ASP.NET Core still loads a key ring at start (authentication
/// registers data protection), and by default it would write an unencrypted key to the user's home folder, warn
/// about it, and leave the first start of a new machine different from every later one. A service that comes to
/// protect lasting data (a cookie, a token sent to a browser) needs a key ring shared by its replicas instead:
/// docs/security.md says how.
/// </summary>
public static class ProcessKeyRing
{
    public static IServiceCollection KeepDataProtectionKeysInMemory(this IServiceCollection services) =>
        services.Configure<KeyManagementOptions>(options =>
        {
            options.XmlRepository = new InMemoryKeyRepository();
            // Memory is the key's only store: there is nothing at rest to encrypt.
            options.XmlEncryptor = new NullXmlEncryptor();
        });

    private sealed class InMemoryKeyRepository : IXmlRepository
    {
        private readonly List<XElement> _elements = [];

        public IReadOnlyCollection<XElement> GetAllElements()
        {
            lock (_elements)
            {
                return [.. _elements.Select(element => new XElement(element))];
            }
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            lock (_elements)
            {
                _elements.Add(new XElement(element));
            }
        }
    }
}
