using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Notifications;
using CrmEngine.Sdk.Records;
using CrmEngine.Sdk.Settings;

namespace CrmEngine.Sdk.Operations;

/// <summary>Whether an operation reads (a GraphQL query) or writes (a mutation).</summary>
public enum OperationKind
{
    /// <summary>A query field.</summary>
    Query,

    /// <summary>A mutation field, whose payload carries <c>result</c> and <c>userErrors</c>.</summary>
    Mutation,
}

/// <summary>
/// A GraphQL query or mutation a plugin adds to the schema of every tenant that enables it,
/// described with SDK types only; the engine maps them to GraphQL.
/// </summary>
public interface IPluginOperation
{
    /// <summary>The field name, camelCase, such as <c>convertLead</c>.</summary>
    string Name { get; }

    /// <summary>Query or mutation.</summary>
    OperationKind Kind { get; }

    /// <summary>Shown in the schema.</summary>
    string Description { get; }

    /// <summary>The arguments.</summary>
    IReadOnlyList<OperationArgument> Arguments { get; }

    /// <summary>The result's type.</summary>
    TypeRef Result { get; }

    /// <summary>
    /// Runs the operation. Return values follow the result type: scalars as CLR values, entity
    /// types as <see cref="CrmRecord"/>s, object types as <c>IReadOnlyDictionary&lt;string, object?&gt;</c>,
    /// lists as enumerables. Throw <see cref="OperationException"/> to refuse with a typed error.
    /// </summary>
    Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken);
}

/// <summary>An argument of an operation.</summary>
/// <param name="Name">The argument's name.</param>
/// <param name="Type">Its type (input types only: scalars, lists, input objects).</param>
/// <param name="Description">Shown in the schema.</param>
public sealed record OperationArgument(string Name, TypeRef Type, string? Description = null);

/// <summary>What an operation sees when it runs.</summary>
public interface IOperationContext
{
    /// <summary>Who called.</summary>
    ICrmIdentity Identity { get; }

    /// <summary>The record API, acting as the caller.</summary>
    IRecordApi Records { get; }

    /// <summary>
    /// The record API with full record permissions, still acting as (and attributed to) the caller:
    /// for writes the plugin's own business rules authorize that the caller's role alone might not
    /// (a rep claiming a pool account nobody owns). Check those rules before using it.
    /// </summary>
    IRecordApi PrivilegedRecords { get; }

    /// <summary>The tenant's users and teams.</summary>
    IUserDirectory Directory { get; }

    /// <summary>Notifications to users; in a mutation, sent only if it commits.</summary>
    INotifier Notifications { get; }

    /// <summary>The engine's approval service, acting as the caller (submit, approve, reject, recall).</summary>
    Approvals.IApprovals Approvals { get; }

    /// <summary>Messages to records (e-mail, SMS, webhook); in a mutation, queued only if it commits.</summary>
    Messaging.IMessaging Messaging { get; }

    /// <summary>Generated documents (quotes, contracts, orders): templates filled from a record and stored as its attachment.</summary>
    Documents.IDocuments Documents { get; }

    /// <summary>The plugin's settings on this tenant (the tenant's values, else the defaults).</summary>
    IPluginSettings Settings { get; }

    /// <summary>The arguments: scalars as CLR values, input objects as dictionaries, lists as lists; ids and enum values as strings.</summary>
    IReadOnlyDictionary<string, object?> Arguments { get; }

    /// <summary>One argument converted to <typeparamref name="T"/>; default when absent.</summary>
    T? Argument<T>(string name) => Arguments.TryGetValue(name, out var value) ? Values.Convert<T>(value) : default;

    /// <summary>Reads a record id argument (a global id or a UUID) meant for <paramref name="entity"/>; throws OperationException when it isn't one.</summary>
    Guid RecordId(string argument, string entity);

    /// <summary>Reads a user id argument (the global id <c>ownerId</c> carries, or a UUID); throws OperationException when it isn't one.</summary>
    Guid UserId(string argument);
}

/// <summary>
/// Refuses with a typed error: thrown from an operation, a userError in a mutation payload (a GraphQL
/// error for a query); thrown from a validate or before hook, the write's userError, and nothing is
/// written. The client gets exactly the code, message and field. Use the engine's codes (such as
/// <c>INVALID_INPUT</c>, <c>NOT_FOUND</c>) for what they mean, or your own UPPER_SNAKE_CASE codes
/// declared in <c>plugin.json</c> under <c>errorCodes</c>; once a plugin declares codes, a code it
/// doesn't declare becomes PLUGIN_ERROR and is logged.
/// </summary>
public sealed class OperationException : Exception
{
    /// <summary>Creates the refusal.</summary>
    public OperationException(string code, string message, string? field = null)
        : base(message)
    {
        Code = code;
        Field = field;
    }

    /// <summary>The stable error code.</summary>
    public string Code { get; }

    /// <summary>The argument (in an operation) or field (in a hook) concerned, if any.</summary>
    public string? Field { get; }
}
