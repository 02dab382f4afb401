using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using GraphQL.Types;
using CrmFieldType = CrmEngine.Sdk.Metadata.FieldType;

namespace CrmEngine.GraphQL.Records;

/// <summary>
/// <c>orderBy: [LeadOrderBy!]</c>: a list of single-member objects, most significant first, such as
/// <c>[{ lastContactedAt: DESC }, { account: { name: ASC } }]</c>. A list keeps the key order
/// explicit, and a lookup member takes the target's own OrderBy type, so fields of related records
/// sort the same way.
/// </summary>
public static class OrderByInput
{
    public static readonly IReadOnlyList<(string Member, string System)> SystemMembers =
        [("id", SystemFields.Id), ("createdAt", SystemFields.CreatedAt), ("updatedAt", SystemFields.UpdatedAt)];

    public static void Build(EntityGraphTypes graph, SchemaBuildContext context)
    {
        var orderBy = graph.OrderBy;
        orderBy.Description = $"One sort key for {graph.Entity.PluralName}: set exactly one member.";
        foreach (var (member, _) in SystemMembers)
        {
            orderBy.AddField(new FieldType { Name = member, ResolvedType = context.Types.OrderDirection });
        }

        foreach (var field in graph.Entity.ActiveFields.Where(f => f.Of().IsSortable))
        {
            if (field.Type != CrmFieldType.Lookup)
            {
                orderBy.AddField(new FieldType { Name = field.Name, ResolvedType = context.Types.OrderDirection });
            }
            else if (context.Entities.TryGetValue(field.LookupEntity!, out var target))
            {
                orderBy.AddField(new FieldType { Name = field.Name, ResolvedType = target.OrderBy, Description = $"Sort by a field of the {field.LookupEntity}." });
            }
        }
    }

    public static IReadOnlyList<SortKey> Read(EntityDefinition entity, MetadataSnapshot metadata, IEnumerable<object?>? input)
    {
        var keys = new List<SortKey>();
        foreach (var item in input ?? [])
        {
            var path = new List<string>();
            keys.Add(ReadKey(entity, metadata, item as IDictionary<string, object?>, path));
        }

        return keys;
    }

    private static SortKey ReadKey(EntityDefinition entity, MetadataSnapshot metadata, IDictionary<string, object?>? item, List<string> path)
    {
        var set = item?.Where(m => m.Value is not null).ToList() ?? [];
        if (set.Count != 1)
        {
            throw new CrmException(ErrorCodes.InvalidSort, "Each orderBy item sets exactly one member, such as { createdAt: DESC }; list several items for several keys.", "orderBy");
        }

        var (member, value) = set[0];
        var system = SystemMembers.FirstOrDefault(s => s.Member == member).System;
        path.Add(system ?? member);
        if (value is SortDirectionValue direction)
        {
            return new SortKey(path, direction.Direction, direction.Nulls);
        }

        var lookup = entity.FindField(member);
        if (lookup is not { Type: CrmFieldType.Lookup } || metadata.Find(lookup.LookupEntity!) is not { } target)
        {
            throw new CrmException(ErrorCodes.InvalidSort, $"'{member}' is not a lookup of '{entity.Name}'.", "orderBy");
        }

        return ReadKey(target, metadata, value as IDictionary<string, object?>, path);
    }
}
