using System.Runtime.InteropServices;

namespace OrderSaga.DevServers.Kafka;

/// <summary>
/// Finds the librdkafka build from librdkafka.redist that loads on this machine. The generic Linux build
/// needs libsasl2.so.3, which Debian 12 lacks; the CentOS 8 build loads there.
/// </summary>
public static class NativeLibrarySelector
{
    public static nint LoadLibrdkafka()
    {
        var nativeFolder = Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native");
        var tried = new List<string>();
        foreach (var candidate in Candidates().Select(file => Path.Combine(nativeFolder, file)))
        {
            if (NativeLibrary.TryLoad(candidate, out var handle))
            {
                return handle;
            }
            tried.Add(candidate);
        }

        throw new DllNotFoundException($"No librdkafka build from librdkafka.redist loads on {RuntimeInformation.RuntimeIdentifier}; tried: {string.Join(", ", tried)}");
    }

    private static IEnumerable<string> Candidates()
    {
        if (OperatingSystem.IsWindows())
        {
            return ["librdkafka.dll"];
        }

        if (OperatingSystem.IsMacOS())
        {
            return ["librdkafka.dylib"];
        }

        return ["librdkafka.so", "centos8-librdkafka.so", "alpine-librdkafka.so"];
    }
}
