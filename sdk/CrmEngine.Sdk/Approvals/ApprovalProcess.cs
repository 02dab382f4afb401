using CrmEngine.Sdk.Records;

namespace CrmEngine.Sdk.Approvals;

/// <summary>Who may decide a step of an approval process.</summary>
public enum ApproverKind
{
    /// <summary>Every active user holding a role (<see cref="Approver.Reference"/> names it).</summary>
    Role,

    /// <summary>The managers of the teams the record's owner belongs to.</summary>
    OwnersManager,

    /// <summary>One named user (<see cref="Approver.Reference"/>: the user's id or e-mail address).</summary>
    User,

    /// <summary>The members of a team (<see cref="Approver.Reference"/>: the team's id or name).</summary>
    Team,

    /// <summary>Users a plugin's code picks for the record (<see cref="Approver.Resolve"/>); plugins' processes only.</summary>
    Resolved,
}

/// <summary>What a plugin's approver resolver sees: the record, and the tenant's records and directory with full read rights.</summary>
/// <param name="Record">The record being approved.</param>
/// <param name="Records">The tenant's records, readable whatever the submitter's rights.</param>
/// <param name="Directory">The tenant's users and teams.</param>
public sealed record ApproverContext(CrmRecord Record, IRecordApi Records, Identity.IUserDirectory Directory);

/// <summary>How many of a step's approvers must approve.</summary>
public enum ApprovalMode
{
    /// <summary>One approval decides the step.</summary>
    Any,

    /// <summary>Every approver must approve; one rejection rejects.</summary>
    All,
}

/// <summary>One source of approvers of a step.</summary>
/// <param name="Kind">Which kind of approver.</param>
/// <param name="Reference">The role name, user (id or e-mail) or team (id or name); null for <see cref="ApproverKind.OwnersManager"/>.</param>
public sealed record Approver(ApproverKind Kind, string? Reference = null)
{
    /// <summary>For <see cref="ApproverKind.Resolved"/>: picks the approvers when a request reaches the step (a tenant setting naming a role, say).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Func<ApproverContext, CancellationToken, Task<IEnumerable<Guid>>>? Resolve { get; init; }

    /// <summary>Approvers a plugin's code picks when a request reaches the step; <paramref name="description"/> says who they are.</summary>
    public static Approver Resolved(string description, Func<ApproverContext, CancellationToken, Task<IEnumerable<Guid>>> resolve) =>
        new(ApproverKind.Resolved, description) { Resolve = resolve };

    /// <summary>The holders of a role.</summary>
    public static Approver Role(string name) => new(ApproverKind.Role, name);

    /// <summary>The managers of the owner's teams.</summary>
    public static Approver OwnersManager() => new(ApproverKind.OwnersManager);

    /// <summary>A named user, by id or e-mail address.</summary>
    public static Approver User(string idOrEmail) => new(ApproverKind.User, idOrEmail);

    /// <summary>A team's members, by id or name.</summary>
    public static Approver Team(string idOrName) => new(ApproverKind.Team, idOrName);
}

/// <summary>An ordered step of an approval process.</summary>
/// <param name="Name">The step's name, unique in its process.</param>
/// <param name="Mode">Whether one approver or all of them decide.</param>
/// <param name="Approvers">Where the approvers come from (their union).</param>
/// <param name="When">When the step applies (checked as the request reaches it); null: always. Steps that don't apply are skipped.</param>
public sealed record ApprovalStepDeclaration(string Name, ApprovalMode Mode, IReadOnlyList<Approver> Approvers, Condition? When = null);

/// <summary>The field an approval process keeps up to date on its record, and the values it sets.</summary>
/// <param name="Field">The field (a picklist or text field of the entity).</param>
/// <param name="Pending">Set on submission; null leaves the field as it is.</param>
/// <param name="Approved">Set on final approval.</param>
/// <param name="Rejected">Set on rejection.</param>
/// <param name="Recalled">Set on recall; null leaves the field as it is.</param>
public sealed record ApprovalStatusField(string Field, string? Pending, string Approved, string Rejected, string? Recalled = null);

/// <summary>An approval process as a plugin declares it (see <see cref="ApprovalProcessBuilder"/>).</summary>
/// <param name="Name">The process's name, unique in the tenant.</param>
/// <param name="Entity">The entity whose records it approves.</param>
/// <param name="Criteria">Which records enter it when submitted; null: every record.</param>
/// <param name="Steps">The steps, in order.</param>
/// <param name="LockedFields">Fields nobody may change while a request is pending.</param>
/// <param name="Status">The status field it sets, if any.</param>
/// <param name="AdminsMayApprove">Whether tenant admins may decide any step.</param>
/// <param name="OwnerMayApprove">Whether the record's owner may decide its steps (when an approver).</param>
public sealed record ApprovalProcessDeclaration(
    string Name,
    string Entity,
    Condition? Criteria,
    IReadOnlyList<ApprovalStepDeclaration> Steps,
    IReadOnlyList<string> LockedFields,
    ApprovalStatusField? Status,
    bool AdminsMayApprove,
    bool OwnerMayApprove);

/// <summary>Declares an approval process in <c>IPluginBuilder.ApprovalProcess</c>.</summary>
public sealed class ApprovalProcessBuilder
{
    private readonly string _name;
    private readonly string _entity;
    private readonly List<ApprovalStepDeclaration> _steps = [];
    private readonly List<string> _locked = [];
    private Condition? _criteria;
    private ApprovalStatusField? _status;
    private bool _admins;
    private bool _owner;

    /// <summary>Starts a process of <paramref name="entity"/> named <paramref name="name"/>.</summary>
    public ApprovalProcessBuilder(string name, string entity)
    {
        _name = name;
        _entity = entity;
    }

    /// <summary>Only records matching <paramref name="criteria"/> enter the process.</summary>
    public ApprovalProcessBuilder When(Condition criteria)
    {
        _criteria = criteria;
        return this;
    }

    /// <summary>Adds a step (in order); <paramref name="when"/> makes it apply only to matching records.</summary>
    public ApprovalProcessBuilder Step(string name, ApprovalMode mode, IReadOnlyList<Approver> approvers, Condition? when = null)
    {
        _steps.Add(new ApprovalStepDeclaration(name, mode, approvers, when));
        return this;
    }

    /// <summary>Locks fields while a request is pending: updates changing them are refused (APPROVAL_LOCKED).</summary>
    public ApprovalProcessBuilder Locks(params string[] fields)
    {
        _locked.AddRange(fields);
        return this;
    }

    /// <summary>Keeps a status field up to date through the record pipeline.</summary>
    public ApprovalProcessBuilder Status(string field, string? pending, string approved, string rejected, string? recalled = null)
    {
        _status = new ApprovalStatusField(field, pending, approved, rejected, recalled);
        return this;
    }

    /// <summary>Lets tenant admins decide any step.</summary>
    public ApprovalProcessBuilder AdminsMayApprove()
    {
        _admins = true;
        return this;
    }

    /// <summary>Lets the record's owner decide steps they are an approver of (by default they can't approve their own records).</summary>
    public ApprovalProcessBuilder OwnerMayApprove()
    {
        _owner = true;
        return this;
    }

    /// <summary>The declaration.</summary>
    public ApprovalProcessDeclaration Build() => new(_name, _entity, _criteria, _steps.ToList(), _locked.ToList(), _status, _admins, _owner);
}
