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
        var flexible = apiKey == Fetch ? version >= 12 : version >= 9;
        var offset = 8;
        var clientIdLength = BinaryPrimitives.ReadInt16BigEndian(frame[offset..]);
        offset += 2 + Math.Max((int)clientIdLength, 0);
        if (flexible && !TrySkipTaggedFields(frame, ref offset))
        {
            return unknown;
        }

        if (apiKey == Fetch)
        {
            // Before version 15 the body starts with the replica id, then the wait.
            var maxWaitOffset = offset + (version >= 15 ? 0 : 4);
            return maxWaitOffset + 4 <= frame.Length ? unknown with { MaxWaitOffset = maxWaitOffset } : unknown;
        }

        // Produce: from version 3 a transactional id comes before acks; acks = 0 means no answer at all.
        if (version >= 3)
        {
            if (flexible)
            {
                if (!TryReadUnsignedVarint(frame, ref offset, out var lengthPlusOne))
                {
                    return unknown;
                }

                offset += Math.Max((int)lengthPlusOne - 1, 0);
            }
            else
            {
                offset += 2 + Math.Max((int)BinaryPrimitives.ReadInt16BigEndian(frame[offset..]), 0);
            }
        }

        return offset + 2 <= frame.Length
            ? unknown with { ExpectsResponse = BinaryPrimitives.ReadInt16BigEndian(frame[offset..]) != 0 }
            : unknown;
    }

    private static bool TrySkipTaggedFields(ReadOnlySpan<byte> frame, ref int offset)
    {
        if (!TryReadUnsignedVarint(frame, ref offset, out var count))
        {
            return false;
        }

        for (var field = 0u; field < count; field++)
        {
            if (!TryReadUnsignedVarint(frame, ref offset, out _) || !TryReadUnsignedVarint(frame, ref offset, out var size))
            {
                return false;
            }

            offset += (int)size;
        }

        return offset <= frame.Length;
    }

    private static bool TryReadUnsignedVarint(ReadOnlySpan<byte> frame, ref int offset, out uint value)
    {
        value = 0;
        for (var shift = 0; shift < 35 && offset < frame.Length; shift += 7)
        {
            var next = frame[offset++];
            value |= (uint)(next & 0x7F) << shift;
            if ((next & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
