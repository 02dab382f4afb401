namespace CrmEngine.Engine.Metadata;

/// <summary>
/// Removing an entity or field hides it from the API but keeps its table or column and data,
/// so the removal can be undone until an explicit purge drops them.
/// </summary>
public enum DefinitionState
{
    Active,
    Removed,
}
