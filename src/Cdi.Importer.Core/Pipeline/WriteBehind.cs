using System.Collections.Concurrent;
using Cdi.Importer.Core.Targets;

namespace Cdi.Importer.Core.Pipeline;

/// <summary>
/// One writer thread behind several producers. Producers fill buffers from a fixed set and hand them over with their
/// offsets; the thread writes them and returns the buffers. Decoding threads never wait for the disk (the writer thread
/// does, when its writeback window is full), and memory is the fixed set of buffers.
/// </summary>
internal sealed class WriteBehind : IDisposable
{
    private readonly SparseWriter _writer;
    private readonly BlockingCollection<byte[]> _free;
    private readonly BlockingCollection<(long Offset, byte[] Buffer, int Length)> _pending;
    private readonly CancellationTokenSource _failed = new();
    private readonly Task _thread;
    private Exception? _failure;

    public WriteBehind(SparseWriter writer, int buffers, int bufferSize)
    {
        _writer = writer;
        _free = new BlockingCollection<byte[]>(buffers);
        _pending = new BlockingCollection<(long, byte[], int)>(buffers);
        for (var i = 0; i < buffers; i++)
        {
            _free.Add(GC.AllocateUninitializedArray<byte>(bufferSize));
        }
        _thread = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>A free buffer; waits while all are queued or being written. Cancelled also when the writer failed.</summary>
    public byte[] Rent(CancellationToken cancellationToken)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _failed.Token);
        return _free.Take(both.Token);
    }

    /// <summary>Hands <paramref name="length"/> bytes of <paramref name="buffer"/> over, to be written at <paramref name="offset"/>.</summary>
    public void Submit(long offset, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _failed.Token);
        _pending.Add((offset, buffer, length), both.Token);
    }

    /// <summary>A rented buffer that was not submitted.</summary>
    public void Return(byte[] buffer) => _free.Add(buffer);

    /// <summary>Waits until everything submitted is written; the writer's failure, if any, surfaces here.</summary>
    public async Task CompleteAsync()
    {
        _pending.CompleteAdding();
        await _thread.ConfigureAwait(false);
        if (_failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
        }
    }

    public void Dispose()
    {
        _free.Dispose();
        _pending.Dispose();
        _failed.Dispose();
    }

    private void Run()
    {
        foreach (var (offset, buffer, length) in _pending.GetConsumingEnumerable())
        {
            if (_failure is null)
            {
                try
                {
                    _writer.Write(offset, buffer.AsSpan(0, length));
                }
                catch (Exception e)
                {
                    _failure = e;
                    _failed.Cancel();
                }
            }
            _free.Add(buffer);
        }
        if (_failure is null)
        {
            try
            {
                _writer.Flush();
            }
            catch (Exception e)
            {
                _failure = e;
            }
        }
    }
}
