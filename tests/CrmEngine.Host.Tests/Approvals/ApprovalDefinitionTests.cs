using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Approvals.ApprovalDesk;

namespace CrmEngine.Host.Tests.Approvals;

/// <summary>Approval processes as admins define them: bad definitions refused with typed codes and nothing saved, and which records a submission takes.</summary>
[Collection(HostGroup.Name)]
public sealed class ApprovalDefinitionTests(HostFixture fixture)
{
    private static readonly object[] OneStep = [new { name = "Manager", approvers = new[] { new { kind = "OWNERS_MANAGER" } } }];

    [Fact]
    public async Task Bad_definitions_are_refused_with_typed_codes_at_the_part_that_is_wrong_and_nothing_is_saved()
    {
        using var desk = await OpenAsync(fixture.Host);
        await desk.ProcessAsync("Taken", OneStep);

        async Task<List<(string? Field, string Code)>> RefusedAsync(object input, TenantClient? client = null)
        {
            var payload = await RunAsync(client ?? desk.Admin, Save, new { input });
            Assert.Null(payload["approvalProcess"]);
            return payload["userErrors"]!.AsArray().Select(e => (e!["field"]?.GetValue<string>(), S(e["code"]))).ToList();
        }

        Assert.Equal([(null, "UNKNOWN_ENTITY")], (await RefusedAsync(new { name = "A", entity = "nothing", steps = OneStep })).Select(e => ((string?)null, e.Code)));
        Assert.Equal([("name", "NAME_TAKEN")], await RefusedAsync(new { name = "Taken", entity = "account", steps = OneStep }));
        Assert.Equal([("criteria", "UNKNOWN_FIELD")], await RefusedAsync(new { name = "B", entity = "account", criteria = new { discount = new { gt = 20 } }, steps = OneStep }));
        Assert.Equal([("steps[0].when", "INVALID_OPERATOR")], await RefusedAsync(new
        {
            name = "C", entity = "account",
            steps = new object[] { new { name = "S", when = new { margin = new { contains = "x" } }, approvers = new[] { new { kind = "OWNERS_MANAGER" } } } },
        }));
        Assert.Equal([("steps", "INVALID_DEFINITION")], await RefusedAsync(new { name = "D", entity = "account", steps = Array.Empty<object>() }));
        Assert.Equal([("steps[0].approvers[0].role", "INVALID_DEFINITION"), ("steps[1].approvers", "INVALID_DEFINITION"), ("steps[1].name", "INVALID_DEFINITION")], (await RefusedAsync(new
        {
            name = "E", entity = "account",
            steps = new object[]
            {
                new { name = "S", approvers = new[] { new { kind = "ROLE", role = "nobody" } } },
                new { name = "S", approvers = Array.Empty<object>() },
            },
        })).Order());
        Assert.Equal([("steps[0].approvers[0].userId", "USER_NOT_FOUND")], await RefusedAsync(new
        {
            name = "F", entity = "account",
            steps = new object[] { new { name = "S", approvers = new[] { new { kind = "USER", userId = "dXNlcjowMTkzYTAwMDAwMDA3MDAwODAwMDAwMDAwMDAwMDAwMQ" } } } },
        }));
        Assert.Equal([("lockedFields", "UNKNOWN_FIELD")], await RefusedAsync(new { name = "G", entity = "account", steps = OneStep, lockedFields = new[] { "discount" } }));
        Assert.Equal([("statusField.approved", "INVALID_OPTION")], await RefusedAsync(new
        {
            name = "H", entity = "account", steps = OneStep,
            statusField = new { field = "approvalStatus", approved = "ok", rejected = "rejected" },
        }));
        Assert.Equal([(null, "FORBIDDEN")], await RefusedAsync(new { name = "I", entity = "account", steps = OneStep }, desk.As("dave")));
        Assert.Equal(["Taken"], (await desk.Admin.QueryAsync("{ approvalProcesses { name } }"))["approvalProcesses"]!.AsArray().Select(p => S(p!["name"])));
    }

    [Fact]
    public async Task A_record_no_process_takes_is_refused_and_one_the_submitter_cannot_see_answers_not_found()
    {
        using var desk = await OpenAsync(fixture.Host);
        await desk.ProcessAsync("Telecom only", OneStep, criteria: new { industry = new { eq = "telecom" } });

        var refused = await RunAsync(desk.As("alice"), Submit, new { id = desk.Account("alice") });
        var hidden = await RunAsync(desk.As("alice"), Submit, new { id = desk.Account("carol") });

        Assert.Equal(["APPROVAL_NO_PROCESS"], Codes(refused));
        Assert.Equal(["NOT_FOUND"], Codes(hidden));
        Assert.Empty((await desk.Admin.QueryAsync(History, new { id = desk.Account("alice") }))["approvalHistory"]!.AsArray());
        Assert.Null((await desk.AccountAsync("alice"))["approvalStatus"]);
    }
}
