using Microsoft.Extensions.Logging;

namespace Ingestion.Emulator.Hosting;

/// <summary>
/// Where the executable's log lines go. Lines logged while starting are held back so the ready line is the
/// first line on stdout; then the console, or (with <c>--log-file</c>) a file, so a launcher can close its
/// pipes and the emulator keeps running.
/// </summary>
internal sealed class LogSink(TextWriter initial) : IDisposable
{
    private readonly object _gate = new();
    private TextWriter _writer = initial;
    private TextWriter? _owned;
    private List<string>? _held = [];

    public void Write(string text)
    {
        lock (_gate)
        {
            if (_held is not null)
            {
                _held.Add(text);
                return;
            }

            WriteNow(text);
        }
    }

    /// <summary>Writes <paramref name="first"/> (or nothing) and then everything held back so far.</summary>
    public void Release(string? first)
    {
        lock (_gate)
        {
            var held = _held ?? [];
            _held = null;
            if (first is not null)
            {
                WriteNow(first);
            }

            foreach (var text in held)
            {
                WriteNow(text);
            }
        }
    }

    private void WriteNow(string text)
    {
        {
            try
            {
                _writer.Write(text);
                _writer.Flush();
            }
            catch (IOException)
            {
                // Nobody is reading any more (the launcher went away); logging must not stop the emulator.
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    public void RedirectTo(TextWriter writer)
    {
        lock (_gate)
        {
            _owned?.Dispose();
            _writer = _owned = writer;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _owned?.Dispose();
            _owned = null;
            _writer = TextWriter.Null;
        }
    }
}

/// <summary>One line per entry: <c>12:34:56.789 info  message</c>; categories stay out of the way.</summary>
internal sealed class LogSinkProvider(LogSink sink, TimeProvider time) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new SinkLogger(sink, time);

    public void Dispose()
    {
    }

    private sealed class SinkLogger(LogSink sink, TimeProvider time) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var level = logLevel switch
            {
                LogLevel.Trace => "trce",
                LogLevel.Debug => "dbug",
                LogLevel.Information => "info",
                LogLevel.Warning => "warn",
                LogLevel.Error => "fail",
                _ => "crit",
            };
            var line = $"{time.GetLocalNow():HH:mm:ss.fff} {level}  {formatter(state, exception)}{Environment.NewLine}";
            if (exception is not null)
            {
                line += exception + Environment.NewLine;
            }

            sink.Write(line);
        }
    }
}
