using CrmEngine.Engine.Records.Querying;
using GraphQL.Types;

namespace CrmEngine.GraphQL.Types;

/// <summary>A direction with the placement of empty values, as one <c>OrderDirection</c> enum value.</summary>
public sealed record SortDirectionValue(SortDirection Direction, NullsPlacement Nulls);

/// <summary>
/// <c>OrderDirection</c>: ASC and DESC sort empty values as the smallest value (first in ASC, last
/// in DESC), which indexes serve directly; the _NULLS_ variants place them explicitly.
/// </summary>
public sealed class OrderDirectionGraphType : EnumerationGraphType
{
    public OrderDirectionGraphType()
    {
        Name = "OrderDirection";
        Description = "Sort direction. ASC and DESC treat empty values as the smallest (first in ASC, last in DESC); the _NULLS_ variants say where they go.";
        Add("ASC", new SortDirectionValue(SortDirection.Asc, NullsPlacement.Default), "Ascending; empty values first.");
        Add("DESC", new SortDirectionValue(SortDirection.Desc, NullsPlacement.Default), "Descending; empty values last.");
        Add("ASC_NULLS_FIRST", new SortDirectionValue(SortDirection.Asc, NullsPlacement.First), "Ascending; empty values first.");
        Add("ASC_NULLS_LAST", new SortDirectionValue(SortDirection.Asc, NullsPlacement.Last), "Ascending; empty values last.");
        Add("DESC_NULLS_FIRST", new SortDirectionValue(SortDirection.Desc, NullsPlacement.First), "Descending; empty values first.");
        Add("DESC_NULLS_LAST", new SortDirectionValue(SortDirection.Desc, NullsPlacement.Last), "Descending; empty values last.");
    }
}
