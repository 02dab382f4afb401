using CrmEngine.Engine.Tenancy;
using CrmEngine.Host.Tests.Identity;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using Npgsql;
using static CrmEngine.Host.Tests.Changes.ChangesFeed;

namespace CrmEngine.Host.Tests.Changes;

/// <summary>
/// On PostgreSQL, transactions commit out of the order they took their sequence numbers in: a
/// change committed after a page was read, with a smaller sequence than the page's last, must still
/// reach the client that resumes from that page.
/// </summary>
[Collection(HostGroup.Name)]
[Trait(StoreTraits.Name, StoreTraits.PostgresOnly)]
public sealed class ChangesCommitOrderTests(HostFixture fixture)
{
    [PostgresFact]
    public async Task A_change_committed_after_a_later_one_is_not_skipped_by_a_cursor_read_in_between()
    {
        using var office = await Office.OpenAsync(fixture.Host);
        var replica = await new Replica(office.Admin).PullAsync();
        // Caught up first: the journal only hands out what's below the server's oldest open
        // transaction, and another test's (another tenant on the same server) may have held the
        // office's own first changes back. Once a record created now has come, every change before
        // it has (a new record: its only change is that one).
        await CreateAsync(office.Admin, "Caught up");
        await replica.PullUntilAsync(r => r.Names.Contains("Caught up"));
        var store = await fixture.Host.Service<TenantRegistry>().GetAsync(office.Admin.TenantId, CancellationToken.None);

        // A write that took its outbox sequence first and is still open, as a slow transaction is.
        await using var slow = new NpgsqlConnection(store.ConnectionString);
        await slow.OpenAsync();
        await using var transaction = await slow.BeginTransactionAsync();
        await using (var update = new NpgsqlCommand(
            "UPDATE account SET name = 'Acme West Carol (slow)', version = version + 1 WHERE id = @id; " +
            "INSERT INTO crm_outbox (entity, record_id, operation, version, at, changes, depth, attempts) VALUES ('account', @id, 'update', 2, now(), '[]', 1, 0)",
            slow, transaction))
        {
            update.Parameters.AddWithValue("id", Guid.Parse(GlobalIdOf(office.Accounts["carol"])));
            await update.ExecuteNonQueryAsync();
        }

        // A later write commits first, with a larger sequence.
        await UpdateAsync(office.Admin, office.Accounts["alice"], new { name = "Acme East Alice II" });
        await replica.PullAsync();
        // The open transaction holds the feed back: nothing after it is handed out before it ends.
        Assert.DoesNotContain("Acme East Alice II", replica.Names);

        await transaction.CommitAsync();
        await replica.PullUntilAsync(r => r.Names.Contains("Acme East Alice II") && r.Names.Contains("Acme West Carol (slow)"));
        Assert.Equal(["Acme East Alice II", "Acme East Bob", "Acme West Carol (slow)", "Caught up"], replica.Names);
    }

    /// <summary>The UUID inside a global id.</summary>
    private static string GlobalIdOf(string globalId)
    {
        Assert.True(Engine.Records.GlobalId.TryDecode(globalId, out _, out var id));
        return id.ToString();
    }
}
