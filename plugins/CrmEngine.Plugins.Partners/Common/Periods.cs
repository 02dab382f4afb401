using System.Globalization;
using System.Text.RegularExpressions;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Common;

/// <summary>A period as budgets, rebates and scorecards name it: 2027, 2027-H1, 2027-Q3 or 2027-05, first and last day.</summary>
internal sealed partial record Period(string Name, DateOnly First, DateOnly Last)
{
    /// <summary>The period <paramref name="name"/> names; INVALID_INPUT on <paramref name="field"/> when it names none.</summary>
    public static Period Parse(string? name, string field)
    {
        var match = name is null ? null : Shape().Match(name.Trim());
        if (match is not { Success: true })
        {
            throw new OperationException(PartnerErrors.InvalidInput, $"'{name}' is not a period (2027, 2027-H1, 2027-Q3 or 2027-05).", field);
        }

        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        var (first, months) = match.Groups["part"].Value switch
        {
            "" => (1, 12),
            ['H', var h] => (((h - '1') * 6) + 1, 6),
            ['Q', var q] => (((q - '1') * 3) + 1, 3),
            var m => (int.Parse(m, CultureInfo.InvariantCulture), 1),
        };
        if (first is < 1 or > 12)
        {
            throw new OperationException(PartnerErrors.InvalidInput, $"'{name}' has no month {first}.", field);
        }

        var start = new DateOnly(year, first, 1);
        return new Period(match.Value, start, start.AddMonths(months).AddDays(-1));
    }

    [GeneratedRegex(@"^(?<year>\d{4})(-(?<part>H[12]|Q[1-4]|\d{2}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
