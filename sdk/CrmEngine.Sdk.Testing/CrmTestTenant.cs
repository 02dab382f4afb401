namespace CrmEngine.Sdk.Testing;

/// <summary>A tenant of a <see cref="CrmTestHost"/>, with its admin's client.</summary>
public sealed class CrmTestTenant
{
    private readonly CrmTestHost _host;

    internal CrmTestTenant(CrmTestHost host, string id, GraphQLClient admin)
    {
        _host = host;
        Id = id;
        Admin = admin;
    }

    /// <summary>The tenant's id.</summary>
    public string Id { get; }

    /// <summary>A client holding an admin key of the tenant.</summary>
    public GraphQLClient Admin { get; }

    /// <summary>
    /// A client with a new API key of the tenant (made by the admin through <c>createApiKey</c>) that
    /// carries <paramref name="roles"/> (built-in such as <c>user</c>, or the tenant's own) and, when
    /// <paramref name="userId"/> is given, acts as that user (the id <c>createUser</c> returned).
    /// </summary>
    /// <exception cref="GraphQLException">The key was refused (an unknown role or user).</exception>
    public async Task<GraphQLClient> ClientAsync(IReadOnlyList<string> roles, string? userId = null)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var payload = await Admin.MutateAsync(
            "mutation($u: ID, $r: [String!]!) { createApiKey(name: \"test\", roles: $r, userId: $u) { key userErrors { field code message } } }",
            new { u = userId, r = roles }).ConfigureAwait(false);
        return _host.Client(Id, payload["key"]!.GetValue<string>());
    }
}
