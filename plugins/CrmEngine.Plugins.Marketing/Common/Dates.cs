using CrmEngine.Sdk.Hooks;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Common;

/// <summary>Checks a record's start and end dates run forward.</summary>
internal static class Dates
{
    public static void RequireOrdered(IRecordContext record)
    {
        if (record.GetValue("startDate") is DateOnly start && record.GetValue("endDate") is DateOnly end && end < start)
        {
            throw new OperationException(MarketingErrors.InvalidInput, $"The end date {end:yyyy-MM-dd} is before the start date {start:yyyy-MM-dd}.", "endDate");
        }
    }
}
