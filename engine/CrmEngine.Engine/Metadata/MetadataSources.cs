namespace CrmEngine.Engine.Metadata;

public static class MetadataSources
{
    /// <summary>Defined by a tenant admin through the API.</summary>
    public const string Custom = "custom";
}
