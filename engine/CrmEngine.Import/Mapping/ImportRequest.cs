namespace CrmEngine.Import.Mapping;

/// <summary>Create every row, or update the record whose <see cref="ImportRequest.UpsertBy"/> value a row carries and create the others.</summary>
public enum ImportMode
{
    Create,
    Upsert,
}

/// <summary>
/// What a client asks of an import, besides its file.
/// </summary>
/// <param name="Entity">The entity the rows become records of.</param>
/// <param name="Mode">Create, or upsert by <paramref name="UpsertBy"/>.</param>
/// <param name="UpsertBy">The unique field rows are matched on in upsert mode.</param>
/// <param name="DryRun">Check every row as the import would, and write nothing.</param>
/// <param name="Mapping">Column header to field name; a null field skips the column. Columns not named here map by field name or label.</param>
/// <param name="LookupBy">Lookup field to the field of its target entity cells are matched on (by default its display field, or an id).</param>
public sealed record ImportRequest(
    string Entity,
    ImportMode Mode = ImportMode.Create,
    string? UpsertBy = null,
    bool DryRun = false,
    IReadOnlyDictionary<string, string?>? Mapping = null,
    IReadOnlyDictionary<string, string>? LookupBy = null);
