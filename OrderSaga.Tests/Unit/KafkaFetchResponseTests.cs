extern alias DevServers;

using System.Buffers.Binary;
using DevServers::OrderSaga.DevServers.Kafka;

namespace OrderSaga.Tests.Unit;

/// <summary>The local broker's relay tells a fetch answer with records from an empty one, in every version.</summary>
public sealed class KafkaFetchResponseTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(16)]
    public void An_answer_is_empty_only_when_no_partition_carried_records(short version)
    {
        Assert.False(KafkaFetchResponse.HasRecords(Answer(version, recordsOfSecondPartition: 0), version));
        Assert.True(KafkaFetchResponse.HasRecords(Answer(version, recordsOfSecondPartition: 61), version));
    }

    [Fact]
    public void An_answer_cut_short_counts_as_one_with_records_so_nothing_is_held()
    {
        var answer = Answer(11, recordsOfSecondPartition: 0);

        Assert.True(KafkaFetchResponse.HasRecords(answer.AsSpan(0, answer.Length - 6), 11));
    }

    /// <summary>One topic with two partitions, one aborted transaction on the first; the second carries the records.</summary>
    private static byte[] Answer(short version, int recordsOfSecondPartition)
    {
        var flexible = version >= 12;
        var bytes = new MemoryStream();
        void Int16(short value) => Write(bytes, 2, span => BinaryPrimitives.WriteInt16BigEndian(span, value));
        void Int32(int value) => Write(bytes, 4, span => BinaryPrimitives.WriteInt32BigEndian(span, value));
        void Int64(long value) => Write(bytes, 8, span => BinaryPrimitives.WriteInt64BigEndian(span, value));
        void Length(int length)
        {
            if (flexible)
            {
                bytes.WriteByte((byte)(length + 1));
            }
            else
            {
                Int32(length);
            }
        }

        void Tags()
        {
            if (flexible)
            {
                bytes.WriteByte(0);
            }
        }

        Int32(42);
        Tags();
        Int32(0);
        if (version >= 7)
        {
            Int16(0);
            Int32(7);
        }

        Length(1);
        if (version >= 13)
        {
            bytes.Write(Guid.NewGuid().ToByteArray());
        }
        else if (flexible)
        {
            bytes.WriteByte((byte)("order-events".Length + 1));
            bytes.Write("order-events"u8);
        }
        else
        {
            Int16((short)"order-events".Length);
            bytes.Write("order-events"u8);
        }

        Length(2);
        for (var partition = 0; partition < 2; partition++)
        {
            Int32(partition);
            Int16(0);
            Int64(100);
            Int64(100);
            if (version >= 5)
            {
                Int64(0);
            }

            Length(partition == 0 ? 1 : 0);
            if (partition == 0)
            {
                Int64(9);
                Int64(3);
                Tags();
            }

            if (version >= 11)
            {
                Int32(-1);
            }

            var records = partition == 1 ? recordsOfSecondPartition : 0;
            Length(records);
            bytes.Write(new byte[records]);
            Tags();
        }

        Tags();
        Tags();
        return bytes.ToArray();
    }

    private static void Write(MemoryStream bytes, int size, SpanAction write)
    {
        Span<byte> buffer = stackalloc byte[size];
        write(buffer);
        bytes.Write(buffer);
    }

    private delegate void SpanAction(Span<byte> span);
}
