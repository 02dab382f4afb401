using CrmEngine.Engine.Errors;

namespace CrmEngine.Engine.Records.Querying;

/// <summary>What a list request's page is: how many records it holds, and its cursors, read and written against the sort plan's keys.</summary>
internal static class Paging
{
    /// <summary>The page size asked for (first or last, else the default), refused when negative, over the limit, or given both ways.</summary>
    public static int Size(RecordQuery request, CrmEngineOptions options)
    {
        if (request.First is not null && request.Last is not null)
        {
            throw new CrmException(ErrorCodes.InvalidInput, "Use either first or last, not both.", "first");
        }

        var size = request.First ?? request.Last ?? options.DefaultPageSize;
        if (size < 0)
        {
            throw new CrmException(ErrorCodes.InvalidInput, "first and last can't be negative.", request.First is null ? "last" : "first");
        }

        if (size > options.MaxPageSize)
        {
            throw new CrmException(ErrorCodes.PageSizeExceeded, $"A page holds at most {options.MaxPageSize} records; ask for fewer and page with cursors.", request.First is null ? "last" : "first");
        }

        return size;
    }

    /// <summary>A cursor's key values, typed as the keys they continue from; a cursor of another scope or shape is invalid.</summary>
    public static object?[] Decode(CursorCodec cursors, string cursor, string scope, IReadOnlyList<PlannedKey> keys)
    {
        var values = cursors.Decode(cursor, scope);
        if (values.Length != keys.Count)
        {
            throw Keyset.Invalid();
        }

        return values.Select((v, i) => Keyset.Decode(v, keys[i].Type)).ToArray();
    }

    /// <summary>The key values a row's cursor carries: its sort columns, and the derived keys read with it.</summary>
    public static object?[] CursorValues(SortPlan plan, KeyedRow row)
    {
        var values = new object?[plan.Keys.Count];
        var slot = 0;
        for (var i = 0; i < plan.Keys.Count; i++)
        {
            var key = plan.Keys[i];
            values[i] = Keyset.Encode(key.Column is { } column ? row.Values.GetValueOrDefault(column) : row.Slot(slot++));
        }

        return values;
    }
}
