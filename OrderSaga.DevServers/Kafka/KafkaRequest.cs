using System.Buffers.Binary;

namespace OrderSaga.DevServers.Kafka;

/// <summary>
/// What the relay needs to know of one Kafka request frame (its size prefix excluded): its API, whether the broker
/// answers it, and for a fetch where its wait is written. Only the fixed start of the frame is read.
/// </summary>
public readonly record struct KafkaRequest(short ApiKey, short Version, bool ExpectsResponse, int MaxWaitOffset)
{
    public const short Produce = 0;
    public const short Fetch = 1;

    /// <summary>The fetch's longest wait for data in milliseconds, or null when the request is no fetch.</summary>
    public int? MaxWaitMs(ReadOnlySpan<byte> frame) =>
        MaxWaitOffset > 0 ? BinaryPrimitives.ReadInt32BigEndian(frame[MaxWaitOffset..]) : null;

    /// <summary>Rewrites the fetch's wait, so the broker answers with what it holds at once.</summary>
    public void AnswerAtOnce(Span<byte> frame) => BinaryPrimitives.WriteInt32BigEndian(frame[MaxWaitOffset..], 0);

    public static KafkaRequest Parse(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 10)
        {
            return new KafkaRequest(-1, -1, ExpectsResponse: true, MaxWaitOffset: 0);
        }

        var apiKey = BinaryPrimitives.ReadInt16BigEndian(frame);
        var version = BinaryPrimitives.ReadInt16BigEndian(frame[2..]);
        var unknown = new KafkaRequest(apiKey, version, ExpectsResponse: true, MaxWaitOffset: 0);
        if (apiKey is not (Fetch or Produce))
        {
            return unknown;
        }

        // Request header: api key, version, correlation id, client id (a nullable string with an int16 length, in
        // flexible versions too), then tagged fields in flexible versions.
        var reader = new KafkaFrameReader(frame, flexible: apiKey == Fetch ? version >= 12 : version >= 9);
        try
        {
            reader.Skip(8);
            reader.Skip(Math.Max((int)reader.Int16(), 0));
            reader.SkipTaggedFields();
            if (apiKey == Fetch)
            {
                // Before version 15 the body starts with the replica id, then the wait.
                reader.Skip(version >= 15 ? 0 : 4);
                var maxWaitOffset = reader.Position;
                reader.Skip(4);
                return unknown with { MaxWaitOffset = maxWaitOffset };
            }

            // Produce: from version 3 a transactional id comes before acks; acks = 0 means no answer at all.
            if (version >= 3)
            {
                reader.SkipString();
            }

            return unknown with { ExpectsResponse = reader.Int16() != 0 };
        }
        catch (ArgumentOutOfRangeException)
        {
            return unknown;
        }
    }
}
