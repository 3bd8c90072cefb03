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
        var reader = new Reader(frame, flexible: version >= 12);
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

    /// <summary>Kafka's encodings, in their classic and flexible (compact, tagged) forms.</summary>
    private ref struct Reader(ReadOnlySpan<byte> frame, bool flexible)
    {
        private readonly ReadOnlySpan<byte> _frame = frame;
        private int _offset;

        public void Skip(int count)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(_offset + count, _frame.Length);
            _offset += count;
        }

        /// <summary>An array's element count; a null array has none.</summary>
        public int ArrayLength() => flexible ? (int)UnsignedVarint() - 1 : Int32();

        /// <summary>A byte string's length, which it then skips; a null one has none.</summary>
        public int BytesLength()
        {
            var length = flexible ? (int)UnsignedVarint() - 1 : Int32();
            Skip(Math.Max(length, 0));
            return length;
        }

        public void SkipString() => Skip(Math.Max(flexible ? (int)UnsignedVarint() - 1 : Int16(), 0));

        public void SkipTaggedFields()
        {
            if (!flexible)
            {
                return;
            }

            for (var fields = UnsignedVarint(); fields > 0; fields--)
            {
                UnsignedVarint();
                Skip((int)UnsignedVarint());
            }
        }

        private short Int16()
        {
            Skip(2);
            return BinaryPrimitives.ReadInt16BigEndian(_frame[(_offset - 2)..]);
        }

        private int Int32()
        {
            Skip(4);
            return BinaryPrimitives.ReadInt32BigEndian(_frame[(_offset - 4)..]);
        }

        private uint UnsignedVarint()
        {
            uint value = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                Skip(1);
                var next = _frame[_offset - 1];
                value |= (uint)(next & 0x7F) << shift;
                if ((next & 0x80) == 0)
                {
                    return value;
                }
            }

            throw new ArgumentOutOfRangeException(nameof(frame), "A varint longer than five bytes.");
        }
    }
}
