namespace CrmEngine.Engine.Records;

public enum RecordOperation
{
    Create,
    Update,
    Delete,
    Restore,
}
