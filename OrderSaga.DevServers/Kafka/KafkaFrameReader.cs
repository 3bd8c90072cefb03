using System.Buffers.Binary;

namespace OrderSaga.DevServers.Kafka;

/// <summary>
/// Reads Kafka's encodings, in their classic and flexible (compact, tagged) forms, from the start of a frame; reading
/// past its end throws <see cref="ArgumentOutOfRangeException"/>.
/// </summary>
internal ref struct KafkaFrameReader(ReadOnlySpan<byte> frame, bool flexible)
{
    private readonly ReadOnlySpan<byte> _frame = frame;
    private int _offset;

    public readonly int Position => _offset;

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

    public short Int16()
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
