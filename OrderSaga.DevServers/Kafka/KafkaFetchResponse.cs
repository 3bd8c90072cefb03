using System.Buffers.Binary;

namespace OrderSaga.DevServers.Kafka;

/// <summary>
/// Reads a fetch response (its size prefix excluded) only far enough to tell whether any partition carried records:
/// a consumer that got records may have more waiting, and its next fetch must not be held.
/// </summary>
public static class KafkaFetchResponse
{
    /// <summary>True when a partition carried records, or when the response cannot be read (then nothing is held).</summary>
    public static bool HasRecords(ReadOnlySpan<byte> frame, short version)
    {
        var reader = new KafkaFrameReader(frame, flexible: version >= 12);
        try
        {
            reader.Skip(4); // correlation id
            reader.SkipTaggedFields();
            reader.Skip(4); // throttle time
            if (version >= 7)
            {
                reader.Skip(2 + 4); // error code, session id
            }

            for (var topics = reader.ArrayLength(); topics > 0; topics--)
            {
                if (version >= 13)
                {
                    reader.Skip(16); // topic id
                }
                else
                {
                    reader.SkipString();
                }

                for (var partitions = reader.ArrayLength(); partitions > 0; partitions--)
                {
                    reader.Skip(4 + 2 + 8); // index, error code, high watermark
                    if (version >= 4)
                    {
                        reader.Skip(8); // last stable offset
                    }

                    if (version >= 5)
                    {
                        reader.Skip(8); // log start offset
                    }

                    if (version >= 4)
                    {
                        for (var aborted = reader.ArrayLength(); aborted > 0; aborted--)
                        {
                            reader.Skip(8 + 8); // producer id, first offset
                            reader.SkipTaggedFields();
                        }
                    }

                    if (version >= 11)
                    {
                        reader.Skip(4); // preferred read replica
                    }

                    if (reader.BytesLength() > 0)
                    {
                        return true;
                    }

                    reader.SkipTaggedFields();
                }

                reader.SkipTaggedFields();
            }

            return false;
        }
        catch (ArgumentOutOfRangeException)
        {
            return true;
        }
    }
}
