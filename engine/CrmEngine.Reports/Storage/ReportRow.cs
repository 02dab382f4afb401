namespace CrmEngine.Reports.Storage;

/// <summary>A saved report, as stored: its definition is JSON (<see cref="Definitions.ReportDefinition"/>).</summary>
public sealed class ReportRow
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public required string Entity { get; set; }

    public required string Definition { get; set; }

    /// <summary>Who saved it first: the report is theirs to change and delete.</summary>
    public Guid OwnerId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}
