using System.Diagnostics;
using Jint;

namespace CrmEngine.Rules.Scripting;

/// <summary>Which limit stopped a run.</summary>
public enum RuleLimit
{
    Time,
    Statements,
    Memory,
    Recursion,
    Regex,
}

/// <summary>A run went past one of its limits. Scripts can't catch it.</summary>
public sealed class ScriptLimitException(RuleLimit limit, string message) : Exception(message)
{
    public RuleLimit Limit { get; } = limit;
}

/// <summary>
/// The statement count and deadline of one run. Unlike Jint's own constraints they are not reset
/// between the condition and the script, so both share one budget, and the count can be reported.
/// </summary>
internal sealed class RunBudget(RuleLimits limits)
{
    public StatementCounter Statements { get; } = new(limits.MaxStatements);

    public Deadline Time { get; } = new(limits.Timeout);

    internal sealed class StatementCounter(int max) : Constraint
    {
        public long Count { get; private set; }

        public override void Check()
        {
            if (++Count > max)
            {
                throw new ScriptLimitException(RuleLimit.Statements, $"it ran more than {max:N0} statements");
            }
        }

        public override void Reset()
        {
        }
    }

    internal sealed class Deadline(TimeSpan timeout) : Constraint
    {
        private readonly long _deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);

        // Checked every few dozen statements: reading the clock on each one would cost more than it buys.
        public override bool IsAmortizable => true;

        public override void Check()
        {
            if (Stopwatch.GetTimestamp() > _deadline)
            {
                throw new ScriptLimitException(RuleLimit.Time, $"it ran longer than {timeout.TotalMilliseconds:N0} ms");
            }
        }

        public override void Reset()
        {
        }
    }
}
