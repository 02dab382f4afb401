namespace CrmEngine.GraphQL.Execution.Guard;

/// <summary>Thrown inside a guard walk to stop it at the first limit crossed.</summary>
internal sealed class GuardRefusal(string code, string message) : Exception(message)
{
    public string Code { get; } = code;

    /// <summary>Adds one to <paramref name="counter"/>, refusing once it passes <paramref name="limit"/>.</summary>
    public static void Count(ref int counter, int limit, string code, string what)
    {
        if (++counter > limit)
        {
            throw new GuardRefusal(code, $"The document holds more than {limit} {what}, the most one request may. Split it into several requests.");
        }
    }
}
