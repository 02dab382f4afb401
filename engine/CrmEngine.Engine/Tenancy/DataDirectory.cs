namespace CrmEngine.Engine.Tenancy;

/// <summary>The absolute path of the data directory, resolved once at start-up.</summary>
public sealed record DataDirectory(string Path);
