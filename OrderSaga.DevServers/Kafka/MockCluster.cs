using System.Runtime.InteropServices;
using System.Text;

namespace OrderSaga.DevServers.Kafka;

/// <summary>
/// librdkafka's in-memory Kafka-protocol mock cluster, driven through its exported C API.
/// Confluent.Kafka does not wrap this API, so the native library is loaded directly.
/// </summary>
public sealed unsafe class MockCluster : IDisposable
{
    private readonly nint _library;
    private readonly nint _parentHandle;
    private readonly nint _cluster;
    private readonly delegate* unmanaged<nint, byte*, int, int, int> _topicCreate;

    private MockCluster(nint library)
    {
        _library = library;
        var confNew = (delegate* unmanaged<nint>)Export("rd_kafka_conf_new");
        var confSet = (delegate* unmanaged<nint, byte*, byte*, byte*, nuint, int>)Export("rd_kafka_conf_set");
        var kafkaNew = (delegate* unmanaged<int, nint, byte*, nuint, nint>)Export("rd_kafka_new");
        var clusterNew = (delegate* unmanaged<nint, int, nint>)Export("rd_kafka_mock_cluster_new");
        var setController = (delegate* unmanaged<nint, int, int>)Export("rd_kafka_mock_set_controller_id");
        _topicCreate = (delegate* unmanaged<nint, byte*, int, int, int>)Export("rd_kafka_mock_topic_create");

        const int producerType = 0;
        var error = stackalloc byte[512];
        var conf = confNew();
        // The parent handle only hosts the mock and never connects: its notice that it has no bootstrap servers
        // would reach stderr, which the dashboard shows as an error.
        fixed (byte* name = "log_level\0"u8, level = "4\0"u8)
        {
            confSet(conf, name, level, error, 512);
        }

        _parentHandle = kafkaNew(producerType, conf, error, 512);
        if (_parentHandle == 0)
        {
            throw new InvalidOperationException($"rd_kafka_new failed: {Marshal.PtrToStringUTF8((nint)error)}");
        }

        _cluster = clusterNew(_parentHandle, 1);
        if (_cluster == 0)
        {
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        }

        // Without an explicit controller, metadata answers may name none and admin requests fail.
        setController(_cluster, BrokerId);
    }

    public const int BrokerId = 1;

    /// <summary>The address the mock itself listens on (always 127.0.0.1 and a random port).</summary>
    public string Bootstraps
    {
        get
        {
            var bootstraps = (delegate* unmanaged<nint, nint>)Export("rd_kafka_mock_cluster_bootstraps");
            return Marshal.PtrToStringUTF8(bootstraps(_cluster))!;
        }
    }

    public static MockCluster Create() => new(NativeLibrarySelector.LoadLibrdkafka());

    /// <summary>Makes metadata name <paramref name="port"/> on 127.0.0.1 as the broker's address.</summary>
    public void AdvertiseAt(int port)
    {
        var setHostPort = (delegate* unmanaged<nint, int, byte*, int, int>)Export("rd_kafka_mock_broker_set_host_port");
        fixed (byte* host = "127.0.0.1\0"u8)
        {
            ThrowOnError(setHostPort(_cluster, BrokerId, host, port), $"advertise port {port}");
        }
    }

    public void CreateTopic(string topic, int partitions)
    {
        var name = Encoding.UTF8.GetBytes(topic + '\0');
        fixed (byte* namePtr = name)
        {
            ThrowOnError(_topicCreate(_cluster, namePtr, partitions, 1), $"create topic {topic}");
        }
    }

    public void SetInitialRebalanceDelay(TimeSpan delay)
    {
        var setDelay = (delegate* unmanaged<nint, int, void>)Export("rd_kafka_mock_group_initial_rebalance_delay_ms");
        setDelay(_cluster, (int)delay.TotalMilliseconds);
    }

    /// <summary>
    /// Takes the broker down (its connections closed, new ones refused) or brings it back up, keeping its topics,
    /// messages and committed offsets, as a real broker keeps its log across a restart.
    /// </summary>
    public void SetBrokerDown(bool down)
    {
        var set = (delegate* unmanaged<nint, int, int>)Export(down ? "rd_kafka_mock_broker_set_down" : "rd_kafka_mock_broker_set_up");
        ThrowOnError(set(_cluster, BrokerId), down ? "take the broker down" : "bring the broker up");
    }

    public void Dispose()
    {
        ((delegate* unmanaged<nint, void>)Export("rd_kafka_mock_cluster_destroy"))(_cluster);
        ((delegate* unmanaged<nint, void>)Export("rd_kafka_destroy"))(_parentHandle);
    }

    private nint Export(string name) => NativeLibrary.GetExport(_library, name);

    private void ThrowOnError(int errorCode, string operation)
    {
        if (errorCode != 0)
        {
            var errorString = (delegate* unmanaged<int, nint>)Export("rd_kafka_err2str");
            throw new InvalidOperationException($"Kafka mock: {operation} failed: {Marshal.PtrToStringUTF8(errorString(errorCode))}");
        }
    }
}
