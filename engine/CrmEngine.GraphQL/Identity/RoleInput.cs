using CrmEngine.Engine.Identity;

namespace CrmEngine.GraphQL.Identity;

/// <summary>Reads a RoleInput argument.</summary>
internal static class RoleInput
{
    public static RoleDefinition Read(IDictionary<string, object?> input) => new()
    {
        Name = (string)input["name"]!,
        Description = input.TryGetValue("description", out var description) ? description as string : null,
        Admin = input.TryGetValue("admin", out var admin) && admin is true,
        Entities = List(input, "entities")
            .OfType<IDictionary<string, object?>>()
            .ToDictionary(e => (string)e["entity"]!, e => new EntityGrant
            {
                Create = Scope(e, "create"),
                Read = Scope(e, "read"),
                Update = Scope(e, "update"),
                Delete = Scope(e, "delete"),
                Assign = Scope(e, "assign"),
            }),
        Fields = List(input, "fields")
            .OfType<IDictionary<string, object?>>()
            .ToDictionary(f => $"{f["entity"]}.{f["field"]}", f => new FieldGrant((bool)f["read"]!, (bool)f["write"]!)),
    };

    private static IEnumerable<object?> List(IDictionary<string, object?> input, string key) =>
        input.TryGetValue(key, out var value) && value is IEnumerable<object?> items ? items : [];

    private static AccessScope Scope(IDictionary<string, object?> grant, string action) =>
        grant.TryGetValue(action, out var value) && value is AccessScope scope ? scope : AccessScope.None;
}
