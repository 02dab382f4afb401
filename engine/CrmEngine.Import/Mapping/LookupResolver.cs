using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;

namespace CrmEngine.Import.Mapping;

/// <summary>
/// Matches the text of lookup cells (<see cref="LookupText"/>) to records, a batch at a time: by the
/// field the client named for the lookup (a unique one, such as a customer number) or by the target's
/// display field (its name). Only records the importer can read match, so a hidden record is refused
/// as a missing one is. Text matching no record is LOOKUP_NOT_FOUND, text matching several is
/// AMBIGUOUS_LOOKUP. Answers are remembered for the job (up to a bound), as files repeat the same
/// companies row after row.
/// </summary>
public sealed class LookupResolver(RecordMatches matches, CrmSession session, EntityDefinition entity, IReadOnlyDictionary<string, string>? lookupBy)
{
    private const int MaxRemembered = 100_000;
    private readonly Dictionary<(string Field, string Text), object> _known = [];

    /// <summary>The field of the target entity the cells of <paramref name="field"/> are matched on; null when there is none.</summary>
    public static FieldDefinition? MatchField(MetadataSnapshot metadata, FieldDefinition field, IReadOnlyDictionary<string, string>? lookupBy)
    {
        var target = metadata.Find(field.LookupEntity!);
        return lookupBy?.GetValueOrDefault(field.Name) is { } name ? target?.FindField(name) : target?.DisplayField;
    }

    /// <summary>Replaces every <see cref="LookupText"/> in the rows' values by an id, or adds the row's error.</summary>
    public async Task ResolveAsync(IReadOnlyList<(Dictionary<string, object?> Values, List<CrmError> Errors)> rows, CancellationToken cancellationToken)
    {
        foreach (var field in entity.ActiveFields.Where(f => f.Type == CrmEngine.Sdk.Metadata.FieldType.Lookup))
        {
            var wanted = rows.Select(r => r.Values.GetValueOrDefault(field.Name)).OfType<LookupText>().Select(t => t.Text)
                .Where(t => !_known.ContainsKey((field.Name, t))).Distinct(StringComparer.Ordinal).ToList();
            if (wanted.Count > 0)
            {
                await LearnAsync(field, wanted, cancellationToken);
            }

            foreach (var (values, errors) in rows)
            {
                if (values.GetValueOrDefault(field.Name) is LookupText text)
                {
                    switch (_known[(field.Name, text.Text)])
                    {
                        case Guid id:
                            values[field.Name] = id;
                            break;
                        case CrmError error:
                            values.Remove(field.Name);
                            errors.Add(error);
                            break;
                    }
                }
            }
        }
    }

    private async Task LearnAsync(FieldDefinition field, List<string> texts, CancellationToken cancellationToken)
    {
        if (_known.Count + texts.Count > MaxRemembered)
        {
            _known.Clear();
        }

        var target = session.Metadata.Find(field.LookupEntity!);
        var by = MatchField(session.Metadata, field, lookupBy);
        Dictionary<string, List<Guid>> found = [];
        if (target is not null && by is not null)
        {
            var values = texts.Select(t => RecordMatches.Normalized(by, t)).OfType<object>().ToList();
            found = await matches.FindAsync(session, target, by, values, cancellationToken);
        }

        foreach (var text in texts)
        {
            var key = by is null ? null : RecordMatches.KeyOf(by, text);
            _known[(field.Name, text)] = key is not null && found.TryGetValue(key, out var ids)
                ? ids.Count == 1 ? ids[0] : new CrmError(ErrorCodes.AmbiguousLookup, $"'{text}' names {ids.Count} {field.LookupEntity} records by {by!.Name}; use a unique field or the record's id.", field.Name)
                : new CrmError(ErrorCodes.LookupNotFound, $"No {field.LookupEntity} has {by?.Name ?? "a name"} '{text}'.", field.Name);
        }
    }
}
