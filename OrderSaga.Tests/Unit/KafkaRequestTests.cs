extern alias DevServers;

using System.Buffers.Binary;
using DevServers::OrderSaga.DevServers.Kafka;

namespace OrderSaga.Tests.Unit;

/// <summary>The local broker's relay reads a fetch's wait and a produce's acks in every version clients send.</summary>
public sealed class KafkaRequestTests
{
    [Theory]
    [InlineData(4, false)]
    [InlineData(11, false)]
    [InlineData(12, true)]
    [InlineData(15, true)]
    public void A_fetch_s_wait_is_found_and_can_be_set_to_answer_at_once(short version, bool flexible)
    {
        var frame = Frame(KafkaRequest.Fetch, version, flexible, body =>
        {
            if (version < 15)
            {
                body.Int32(-1);
            }

            body.Int32(500);
            body.Int32(1);
        });

        var request = KafkaRequest.Parse(frame);
        Assert.Equal(500, request.MaxWaitMs(frame));
        Assert.True(request.ExpectsResponse);

        request.AnswerAtOnce(frame);
        Assert.Equal(0, request.MaxWaitMs(frame));
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(frame.Length - 4)));
    }

    [Theory]
    [InlineData(2, false, 0, false)]
    [InlineData(3, false, 0, false)]
    [InlineData(8, false, -1, true)]
    [InlineData(9, true, 0, false)]
    [InlineData(9, true, 1, true)]
    public void A_produce_expects_an_answer_unless_its_acks_are_zero(short version, bool flexible, short acks, bool answered)
    {
        var frame = Frame(KafkaRequest.Produce, version, flexible, body =>
        {
            if (version >= 3)
            {
                body.TransactionalId("tx", flexible);
            }

            body.Int16(acks);
        });

        var request = KafkaRequest.Parse(frame);
        Assert.Equal(answered, request.ExpectsResponse);
        Assert.Null(request.MaxWaitMs(frame));
    }

    [Fact]
    public void Any_other_request_is_answered_and_has_no_wait()
    {
        const short metadata = 3;
        var frame = Frame(metadata, 12, flexible: true, body => body.Int32(0));

        var request = KafkaRequest.Parse(frame);
        Assert.True(request.ExpectsResponse);
        Assert.Null(request.MaxWaitMs(frame));
    }

    private static byte[] Frame(short apiKey, short version, bool flexible, Action<FrameWriter> body)
    {
        var writer = new FrameWriter();
        writer.Int16(apiKey);
        writer.Int16(version);
        writer.Int32(42);
        writer.Int16(7);
        writer.Bytes("rdkafka"u8);
        if (flexible)
        {
            // One tagged field (tag 0, two bytes), as a client may send.
            writer.Bytes([1, 0, 2, 0xAB, 0xCD]);
        }

        body(writer);
        return writer.ToArray();
    }

    private sealed class FrameWriter
    {
        private readonly MemoryStream _bytes = new();

        public void Int16(short value)
        {
            Span<byte> buffer = stackalloc byte[2];
            BinaryPrimitives.WriteInt16BigEndian(buffer, value);
            _bytes.Write(buffer);
        }

        public void Int32(int value)
        {
            Span<byte> buffer = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(buffer, value);
            _bytes.Write(buffer);
        }

        public void Bytes(ReadOnlySpan<byte> bytes) => _bytes.Write(bytes);

        public void TransactionalId(string id, bool compact)
        {
            if (compact)
            {
                _bytes.WriteByte((byte)(id.Length + 1));
            }
            else
            {
                Int16((short)id.Length);
            }

            Bytes(System.Text.Encoding.UTF8.GetBytes(id));
        }

        public byte[] ToArray() => _bytes.ToArray();
    }
}
