using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Approvals.Storage;

/// <summary>The approval service's tables in every tenant store: processes, requests, approvers' tasks, history and delegations.</summary>
public sealed class ApprovalTables : ISystemTables
{
    public string Name => "approvals";

    public int Version => 1;

    public void Configure(ModelBuilder builder, int version)
    {
        builder.Entity<ApprovalProcessRow>(b =>
        {
            b.ToTable("crm_approval_process");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.HasIndex(x => x.Name).IsUnique();
        });
        builder.Entity<ApprovalRequestRow>(b =>
        {
            b.ToTable("crm_approval_request");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.Version).IsConcurrencyToken();
            b.HasIndex(x => new { x.Entity, x.RecordId });
            b.HasIndex(x => x.OpenKey).IsUnique();
        });
        builder.Entity<ApprovalTaskRow>(b =>
        {
            b.ToTable("crm_approval_task");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.HasIndex(x => new { x.RequestId, x.Step });
            // myPendingApprovals: a user's open tasks.
            b.HasIndex(x => new { x.ApproverId, x.Outcome });
        });
        builder.Entity<ApprovalEventRow>(b =>
        {
            b.ToTable("crm_approval_event");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.HasIndex(x => new { x.Entity, x.RecordId, x.At });
        });
        builder.Entity<ApprovalDelegationRow>(b =>
        {
            b.ToTable("crm_approval_delegation");
            b.HasKey(x => x.UserId);
            b.HasIndex(x => x.DelegateId);
        });
    }
}
