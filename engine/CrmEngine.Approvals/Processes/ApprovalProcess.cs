using CrmEngine.Approvals.Storage;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.GraphQL.Records;
using CrmEngine.Sdk.Approvals;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Approvals.Processes;

/// <summary>
/// A process as the catalog keeps it: an admin's (its row) or a plugin's (its declaration). What the
/// lock check needs is at hand; the conditions are made against the metadata of the moment by
/// <see cref="Resolve"/>.
/// </summary>
public sealed class ApprovalProcess
{
    private readonly StoredDefinition? _stored;
    private readonly ApprovalProcessDeclaration? _declared;

    private ApprovalProcess(Guid? id, string? pluginId, string name, string entity, bool active, StoredDefinition? stored, ApprovalProcessDeclaration? declared, DateTime? createdAt)
    {
        Id = id;
        PluginId = pluginId;
        Name = name;
        Entity = entity;
        Active = active;
        _stored = stored;
        _declared = declared;
        CreatedAt = createdAt;
    }

    /// <summary>The admin's process id; null for a plugin's.</summary>
    public Guid? Id { get; }

    /// <summary>The plugin declaring it; null for an admin's.</summary>
    public string? PluginId { get; }

    public string Name { get; }

    public string Entity { get; }

    public bool Active { get; }

    public DateTime? CreatedAt { get; }

    public IReadOnlyList<string> LockedFields => _stored?.LockedFields ?? _declared!.LockedFields;

    public ApprovalStatusField? Status => _stored?.Status ?? _declared!.Status;

    public bool AdminsMayApprove => _stored?.AdminsMayApprove ?? _declared!.AdminsMayApprove;

    public bool OwnerMayApprove => _stored?.OwnerMayApprove ?? _declared!.OwnerMayApprove;

    /// <summary>The steps' names, modes and approvers (without conditions).</summary>
    public IReadOnlyList<(string Name, ApprovalMode Mode, IReadOnlyList<Approver> Approvers)> Steps =>
        _stored?.Steps.Select(s => (s.Name, s.Mode, s.Approvers)).ToList() ?? _declared!.Steps.Select(s => (s.Name, s.Mode, s.Approvers)).ToList();

    /// <summary>The stored definition of an admin's process (for its API view).</summary>
    public StoredDefinition? Stored => _stored;

    public static ApprovalProcess From(ApprovalProcessRow row) =>
        new(row.Id, null, row.Name, row.Entity, row.Active, StoredDefinition.Read(row.Definition), null, row.CreatedAt);

    public static ApprovalProcess From(string pluginId, ApprovalProcessDeclaration declaration) =>
        new(null, pluginId, declaration.Name, declaration.Entity, true, null, declaration, null);

    /// <summary>
    /// The full declaration, conditions made against <paramref name="metadata"/>. A condition that no
    /// longer reads (its field was removed since) is an INVALID_DEFINITION naming the process.
    /// </summary>
    public ApprovalProcessDeclaration Resolve(MetadataSnapshot metadata)
    {
        if (_declared is not null)
        {
            return _declared;
        }

        var entity = metadata.Find(Entity) ?? throw new CrmException(ErrorCodes.InvalidDefinition, $"Approval process '{Name}' is of entity '{Entity}', which no longer exists.", "process");
        try
        {
            return new ApprovalProcessDeclaration(Name, Entity, Read(metadata, entity, _stored!.Criteria),
                _stored.Steps.Select(s => new ApprovalStepDeclaration(s.Name, s.Mode, s.Approvers, Read(metadata, entity, s.When))).ToList(),
                _stored.LockedFields, _stored.Status, _stored.AdminsMayApprove, _stored.OwnerMayApprove);
        }
        catch (CrmException e)
        {
            throw new CrmException(ErrorCodes.InvalidDefinition, $"Approval process '{Name}' no longer reads against the entity: {e.Errors[0].Message}", "process");
        }
    }

    /// <summary>A kept filter as the engine's condition, read as a list query's filter argument is.</summary>
    public static Condition? Read(MetadataSnapshot metadata, EntityDefinition entity, System.Text.Json.JsonElement? filter) =>
        FilterInput.Read(metadata, entity, StoredDefinition.Filter(filter));
}
