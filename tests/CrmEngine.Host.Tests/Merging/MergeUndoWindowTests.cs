using CrmEngine.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static CrmEngine.Host.Tests.Merging.MergeFixtures;

namespace CrmEngine.Host.Tests.Merging;

/// <summary>An undo is taken within Crm:MergeUndoWindow of the merge, and refused after it.</summary>
public sealed class MergeUndoWindowTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CrmHost _host;

    public MergeUndoWindowTests() =>
        _host = new CrmHost(settings: new Dictionary<string, string?> { ["Crm:MergeUndoWindow"] = "7.00:00:00" })
        {
            ConfigureTestServices = services => services.AddSingleton<TimeProvider>(_time),
        };

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task An_undo_after_the_window_is_refused_and_changes_nothing()
    {
        using var client = await _host.NewTenantAsync();
        var crm = await DefineAsync(client);
        var master = await crm.CreateAsync("company", new { name = "Master" });
        var duplicate = await crm.CreateAsync("company", new { name = "Duplicate" });
        var person = await crm.CreateAsync("person", new { name = "P", employerId = duplicate });
        var early = (await crm.MergeAsync(new { entity = "company", masterId = master, duplicates = new[] { new { id = duplicate } } }))["mergeId"]!.GetValue<string>();

        _time.Advance(TimeSpan.FromDays(7.5));
        var refused = await crm.UndoAsync(early);

        Assert.Equal("MERGE_UNDO_EXPIRED", Code(refused));
        Assert.NotNull((await crm.ReadAsync("company", duplicate, "deletedAt"))!["deletedAt"]);
        Assert.Equal(master, (await crm.ReadAsync("person", person, "employerId"))!["employerId"]!.GetValue<string>());

        // Within the window an undo is taken.
        var other = await crm.CreateAsync("company", new { name = "Other" });
        var late = (await crm.MergeAsync(new { entity = "company", masterId = master, duplicates = new[] { new { id = other } } }))["mergeId"]!.GetValue<string>();
        _time.Advance(TimeSpan.FromDays(6.5));
        Assert.Null(Code(await crm.UndoAsync(late)));
    }
}
