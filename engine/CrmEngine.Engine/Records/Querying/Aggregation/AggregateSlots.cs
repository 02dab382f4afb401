namespace CrmEngine.Engine.Records.Querying.Aggregation;

/// <summary>The key of a group: one typed member per groupBy entry, so EF groups and orders by the real columns.</summary>
internal sealed class GroupKey<T1>
{
    public T1 K1 { get; set; } = default!;
}

internal sealed class GroupKey<T1, T2>
{
    public T1 K1 { get; set; } = default!;

    public T2 K2 { get; set; } = default!;
}

internal sealed class GroupKey<T1, T2, T3>
{
    public T1 K1 { get; set; } = default!;

    public T2 K2 { get; set; } = default!;

    public T3 K3 { get; set; } = default!;
}

/// <summary>One row of an aggregate query as it comes back: key values, count and computed values, boxed.</summary>
internal sealed class AggregateRecord
{
    public const int MaxValues = 24;

    public object? K1 { get; set; }

    public object? K2 { get; set; }

    public object? K3 { get; set; }

    public long Count { get; set; }

    public object? V0 { get; set; }

    public object? V1 { get; set; }

    public object? V2 { get; set; }

    public object? V3 { get; set; }

    public object? V4 { get; set; }

    public object? V5 { get; set; }

    public object? V6 { get; set; }

    public object? V7 { get; set; }

    public object? V8 { get; set; }

    public object? V9 { get; set; }

    public object? V10 { get; set; }

    public object? V11 { get; set; }

    public object? V12 { get; set; }

    public object? V13 { get; set; }

    public object? V14 { get; set; }

    public object? V15 { get; set; }

    public object? V16 { get; set; }

    public object? V17 { get; set; }

    public object? V18 { get; set; }

    public object? V19 { get; set; }

    public object? V20 { get; set; }

    public object? V21 { get; set; }

    public object? V22 { get; set; }

    public object? V23 { get; set; }

    public object? Key(int index) => index switch { 0 => K1, 1 => K2, _ => K3 };

    public object? Value(int index) => typeof(AggregateRecord).GetProperty("V" + index)!.GetValue(this);
}
