namespace CrmEngine.Host.Http;

/// <summary>
/// A request body that, once more than <paramref name="threshold"/> bytes have arrived, waits for
/// an expensive-request slot before it hands over more: a large body is costly to parse, so it is
/// admitted before it is parsed, whether it announced its length (checked before reading) or came
/// in chunks. A refused slot ends the read with <see cref="AdmissionRefusedException"/>.
/// </summary>
/// <param name="inner">The request's body.</param>
/// <param name="threshold">How many bytes a body may bring before it needs a slot.</param>
/// <param name="enter">Takes a slot for the request's caller and tenant.</param>
/// <param name="admitted">A slot the request already holds (it announced a large body): reading then takes no other.</param>
internal sealed class GatedBody(Stream inner, long threshold, Func<CancellationToken, Task<ExpensiveRequestGate.Admission>> enter, ExpensiveRequestGate.Admission? admitted) : Stream
{
    private long _read;

    /// <summary>The request's slot: the one it came with, or the one taken while reading if the body grew past the threshold; the caller disposes it.</summary>
    public ExpensiveRequestGate.Admission? Admission { get; private set; } = admitted;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        _read += read;
        if (_read >= threshold && Admission is null)
        {
            Admission = await enter(cancellationToken);
            if (!Admission.Granted)
            {
                throw new AdmissionRefusedException(Admission);
            }
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Request bodies are read asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>The expensive-request gate refused a request while its body was arriving.</summary>
internal sealed class AdmissionRefusedException(ExpensiveRequestGate.Admission admission) : Exception("No expensive-request slot was free.")
{
    public ExpensiveRequestGate.Admission Admission { get; } = admission;
}
