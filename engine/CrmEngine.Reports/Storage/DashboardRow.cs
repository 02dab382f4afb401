namespace CrmEngine.Reports.Storage;

/// <summary>A dashboard, as stored: an ordered set of saved reports (their ids as a JSON array), with its folder and sharing.</summary>
public sealed class DashboardRow : ISharedItem
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public string? Folder { get; set; }

    public required string ReportIds { get; set; }

    public required string Sharing { get; set; }

    public Guid OwnerId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>What reports and dashboards share: an owner, a folder and sharing (<see cref="Sharing.ReportSharing"/> as JSON).</summary>
public interface ISharedItem
{
    Guid Id { get; }

    string Name { get; set; }

    string? Folder { get; set; }

    string Sharing { get; set; }

    Guid OwnerId { get; }

    DateTime UpdatedAt { get; set; }
}
