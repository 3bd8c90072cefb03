using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace OrderSaga.DevServers.Kafka;

/// <summary>
/// One client connection relayed to the mock broker request by request, to give it Kafka's long poll: a broker
/// answers a fetch as soon as data arrives, while the mock holds every fetch that finds nothing for the fetch's
/// whole wait. Here a fetch that follows one which found nothing waits until a produce has been answered or its own
/// wait has run out, and then goes to the mock to be answered at once; a fetch that follows one which found records
/// goes at once, as the consumer may be catching up. Clients keep Kafka's long waits (an idle consumer asks twice a
/// second) and a record reaches its consumers as soon as it is written. As a broker does, the connection's next
/// request is taken only once the one before is on its way.
/// </summary>
internal sealed class KafkaConnectionRelay(Stream client, Stream broker, ProducedRecords produced, RelayedRequests requests)
{
    private const int BufferSize = 64 * 1024;

    // Kafka answers a connection's requests in the order they were sent: those still to be answered.
    private readonly ConcurrentQueue<KafkaRequest> _awaitingAnswer = new();

    // The produce count when this connection's last fetch went to the mock: data since then may be new to it.
    private long _seenByLastFetch = -1;

    // Set before the client has the whole answer, so before it can send its next fetch.
    private volatile bool _lastFetchFoundRecords = true;

    private int _answerSize;
    private int _answerSizeBytes;
    private int _answerRemaining;

    // The fetch answer passing now, copied to be read once whole.
    private KafkaRequest? _fetchAnswered;
    private byte[]? _fetchAnswer;
    private int _fetchAnswerLength;

    /// <summary>Relays both ways until either side closes the connection.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAny(RelayRequestsAsync(cancellationToken), RelayAnswersAsync(cancellationToken));
    }

    private async Task RelayRequestsAsync(CancellationToken cancellationToken)
    {
        var input = new BufferedStream(client, BufferSize);
        var sizePrefix = new byte[4];
        while (true)
        {
            await input.ReadExactlyAsync(sizePrefix, cancellationToken);
            var size = BinaryPrimitives.ReadInt32BigEndian(sizePrefix);
            var frame = ArrayPool<byte>.Shared.Rent(size + 4);
            try
            {
                sizePrefix.CopyTo(frame, 0);
                await input.ReadExactlyAsync(frame.AsMemory(4, size), cancellationToken);
                var request = KafkaRequest.Parse(frame.AsSpan(4, size));
                requests.Count(request.ApiKey);
                if (request.MaxWaitMs(frame.AsSpan(4, size)) is { } maxWaitMs)
                {
                    if (!_lastFetchFoundRecords)
                    {
                        await produced.WaitPastAsync(_seenByLastFetch, TimeSpan.FromMilliseconds(maxWaitMs), cancellationToken);
                    }

                    request.AnswerAtOnce(frame.AsSpan(4, size));
                    _seenByLastFetch = produced.Count;
                }

                if (request.ExpectsResponse)
                {
                    _awaitingAnswer.Enqueue(request);
                }

                await broker.WriteAsync(frame.AsMemory(0, size + 4), cancellationToken);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(frame);
            }
        }
    }

    private async Task RelayAnswersAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await broker.ReadAsync(buffer, cancellationToken)) > 0)
            {
                NoteAnswers(buffer.AsSpan(0, read));
                await client.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Follows the answers' size prefixes through the bytes as they pass, noting each produce answered and whether
    /// each fetch found records.
    /// </summary>
    private void NoteAnswers(ReadOnlySpan<byte> chunk)
    {
        var position = 0;
        while (position < chunk.Length)
        {
            if (_answerRemaining > 0)
            {
                var passing = Math.Min(_answerRemaining, chunk.Length - position);
                CopyFetchAnswer(chunk.Slice(position, passing));
                position += passing;
                _answerRemaining -= passing;
                if (_answerRemaining == 0)
                {
                    ReadFetchAnswer();
                }

                continue;
            }

            _answerSize = (_answerSize << 8) | chunk[position++];
            if (++_answerSizeBytes < 4)
            {
                continue;
            }

            _answerRemaining = _answerSize;
            _answerSize = 0;
            _answerSizeBytes = 0;
            if (_awaitingAnswer.TryDequeue(out var request))
            {
                if (request.ApiKey == KafkaRequest.Produce)
                {
                    produced.Answered();
                }
                else if (request.ApiKey == KafkaRequest.Fetch)
                {
                    _fetchAnswered = request;
                    _fetchAnswer = ArrayPool<byte>.Shared.Rent(_answerRemaining);
                    _fetchAnswerLength = 0;
                }
            }
        }
    }

    private void CopyFetchAnswer(ReadOnlySpan<byte> bytes)
    {
        if (_fetchAnswer is not null)
        {
            bytes.CopyTo(_fetchAnswer.AsSpan(_fetchAnswerLength));
            _fetchAnswerLength += bytes.Length;
        }
    }

    private void ReadFetchAnswer()
    {
        if (_fetchAnswer is null || _fetchAnswered is not { } fetch)
        {
            return;
        }

        _lastFetchFoundRecords = KafkaFetchResponse.HasRecords(_fetchAnswer.AsSpan(0, _fetchAnswerLength), fetch.Version);
        ArrayPool<byte>.Shared.Return(_fetchAnswer);
        _fetchAnswer = null;
        _fetchAnswered = null;
    }
}
