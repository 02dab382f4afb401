namespace CrmEngine.Reports.Storage;

/// <summary>A saved report, as stored: its definition is JSON (<see cref="Definitions.ReportDefinition"/>).</summary>
public sealed class ReportRow : ISharedItem
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public required string Entity { get; set; }

    public required string Definition { get; set; }

    /// <summary>A folder path such as <c>Sales/Monthly</c>; null at the top.</summary>
    public string? Folder { get; set; }

    /// <summary>Who sees it besides its owner: <see cref="Sharing.ReportSharing"/> as JSON.</summary>
    public required string Sharing { get; set; }

    /// <summary>Who saved it first: the report is theirs to change and delete.</summary>
    public Guid OwnerId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}
