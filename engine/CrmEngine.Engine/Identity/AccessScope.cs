namespace CrmEngine.Engine.Identity;

/// <summary>
/// How far a permission reaches: no records, the caller's own, their organization's (external users:
/// records pointing to it through the tenant's organization lookups), their teams', or all. Ordered
/// from narrowest to widest: roles add up to the widest they grant.
/// </summary>
public enum AccessScope
{
    None = 0,
    Own = 1,
    Organization = 2,
    Team = 3,
    All = 4,
}

/// <summary>The actions a role grants on an entity.</summary>
public enum RecordAction
{
    Create,
    Read,
    Update,
    Delete,

    /// <summary>Changing a record's owner (reassigning it).</summary>
    Assign,
}
