using System.Text;
using System.Text.RegularExpressions;

namespace CrmEngine.Engine.Metadata;

/// <summary>
/// The naming rules that keep API names, GraphQL names and SQL identifiers safe and predictable:
/// an entity <c>salesOrder</c> is table <c>sales_order</c>, type <c>SalesOrder</c>, list <c>salesOrders</c>.
/// </summary>
public static partial class Naming
{
    public const int MaxNameLength = 40;

    [GeneratedRegex("^[a-z][a-zA-Z0-9]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ApiNamePattern();

    public static bool IsValidApiName(string? name) =>
        name is { Length: >= 2 and <= MaxNameLength } && ApiNamePattern().IsMatch(name);

    /// <summary>
    /// Column and table names are derived on every read of every field, so conversions are
    /// remembered (names are few: those of the tenants' metadata; bounded to be safe).
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> SnakeCases = new(StringComparer.Ordinal);

    private const int MaxRemembered = 100_000;

    public static string ToSnakeCase(string name)
    {
        if (SnakeCases.TryGetValue(name, out var known))
        {
            return known;
        }

        var converted = ConvertToSnakeCase(name);
        if (SnakeCases.Count < MaxRemembered)
        {
            SnakeCases.TryAdd(name, converted);
        }

        return converted;
    }

    private static string ConvertToSnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        foreach (var c in name)
        {
            if (char.IsUpper(c))
            {
                if (sb.Length > 0)
                {
                    sb.Append('_');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    public static string ToPascalCase(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];

    /// <summary>English plural of a camelCase name, used when the definition does not give one.</summary>
    public static string Pluralize(string name)
    {
        if (name.EndsWith('y') && name.Length > 1 && !"aeiou".Contains(name[^2], StringComparison.Ordinal))
        {
            return name[..^1] + "ies";
        }

        if (name.EndsWith('s') || name.EndsWith('x') || name.EndsWith('z') || name.EndsWith("ch", StringComparison.Ordinal) || name.EndsWith("sh", StringComparison.Ordinal))
        {
            return name + "es";
        }

        return name + "s";
    }

    /// <summary>"companyName" becomes "Company name", a label of last resort.</summary>
    public static string Humanize(string name)
    {
        var snake = ToSnakeCase(name).Replace('_', ' ');
        return snake.Length == 0 ? snake : char.ToUpperInvariant(snake[0]) + snake[1..];
    }
}
