namespace CrmEngine.Engine.Identity;

/// <summary>How far a permission reaches: no records, the caller's own, their teams', or all.</summary>
public enum AccessScope
{
    None = 0,
    Own = 1,
    Team = 2,
    All = 3,
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
