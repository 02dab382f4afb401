using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CrmEngine.Testing;

/// <summary>One log line as a test sees it: its level and text, the exception logged with it, and every property of its message and scopes.</summary>
public sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> Properties, IReadOnlyDictionary<string, object?> Scope);

/// <summary>
/// A logger provider that keeps what is logged, for tests that assert what a host logs (register it
/// with <c>services.AddSingleton&lt;ILoggerProvider&gt;(capture)</c>). Scopes are recorded with each line.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<LogEntry> Entries => _entries.ToList();

    /// <summary>The lines whose message or scope carries <paramref name="name"/> = <paramref name="value"/>.</summary>
    public IReadOnlyList<LogEntry> With(string name, object value) =>
        Entries.Where(e => Equals(e.Properties.GetValueOrDefault(name), value) || Equals(e.Scope.GetValueOrDefault(name), value)).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private static IEnumerable<KeyValuePair<string, object?>> Pairs(object? state) =>
        state as IEnumerable<KeyValuePair<string, object?>> ?? [];

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new Dictionary<string, object?>(StringComparer.Ordinal);
            capture._scopes.ForEachScope((value, into) =>
            {
                foreach (var (key, item) in Pairs(value))
                {
                    into[key] = item;
                }
            }, scope);
            var properties = Pairs(state).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
            capture._entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception, properties, scope));
        }
    }
}
