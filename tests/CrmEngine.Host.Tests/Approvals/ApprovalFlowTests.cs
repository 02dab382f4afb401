using CrmEngine.Host.Tests.Messaging;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing.Messaging;
using static CrmEngine.Host.Tests.Approvals.ApprovalDesk;

namespace CrmEngine.Host.Tests.Approvals;

/// <summary>Approval requests over HTTP: steps with thresholds, ANY and ALL teams, who may decide, locked fields, recall, resubmission, delegation, history and notifications.</summary>
[Collection(HostGroup.Name)]
public sealed class ApprovalFlowTests(HostFixture fixture)
{
    [Fact]
    public async Task A_threshold_step_applies_only_to_records_above_it_and_the_status_field_follows_the_request()
    {
        using var desk = await OpenAsync(fixture.Host);
        await desk.ThresholdProcessAsync();

        var small = await desk.SubmitAsync("alice", "alice", "请批");
        var large = await desk.SubmitAsync("bob", "bob");
        Assert.Equal(("PENDING", "Manager"), (S(small["status"]), S(small["stepName"])));
        Assert.Equal([desk.User("mike")], small["pendingApprovers"]!.AsArray().Select(S));
        Assert.Equal("pending", S((await desk.AccountAsync("alice"))["approvalStatus"]));

        var smallDone = (await desk.As("mike").MutateAsync(Approve, new { id = S(small["id"]), comment = "ok" }))["request"]!;
        var largeAtDirector = (await desk.As("mike").MutateAsync(Approve, new { id = S(large["id"]) }))["request"]!;
        var largeDone = (await desk.As("dave").MutateAsync(Approve, new { id = S(large["id"]), comment = "同意" }))["request"]!;

        Assert.Equal("APPROVED", S(smallDone["status"]));
        Assert.Equal(["SUBMITTED:", "APPROVED:Manager", "STEP_SKIPPED:Director"], Actions(smallDone));
        Assert.Equal(("PENDING", "Director"), (S(largeAtDirector["status"]), S(largeAtDirector["stepName"])));
        Assert.Equal([desk.User("dave")], largeAtDirector["pendingApprovers"]!.AsArray().Select(S));
        Assert.Equal("APPROVED", S(largeDone["status"]));
        Assert.Equal(["SUBMITTED:", "APPROVED:Manager", "APPROVED:Director"], Actions(largeDone));
        Assert.Equal("approved", S((await desk.AccountAsync("alice"))["approvalStatus"]));
        Assert.Equal("approved", S((await desk.AccountAsync("bob"))["approvalStatus"]));
    }

    [Fact]
    public async Task An_ALL_team_step_needs_every_member_and_an_ANY_step_one()
    {
        using var desk = await OpenAsync(fixture.Host);
        await desk.TeamProcessAsync("ALL");
        var all = await desk.SubmitAsync("carol", "carol");

        var afterAlice = (await desk.As("alice").MutateAsync(Approve, new { id = S(all["id"]) }))["request"]!;
        var afterBob = (await desk.As("bob").MutateAsync(Approve, new { id = S(all["id"]) }))["request"]!;

        Assert.Equal("PENDING", S(afterAlice["status"]));
        Assert.Equal([desk.User("bob")], afterAlice["pendingApprovers"]!.AsArray().Select(S));
        Assert.Equal("APPROVED", S(afterBob["status"]));

        await desk.Admin.MutateAsync("mutation($id: ID!) { deleteApprovalProcess(id: $id) { userErrors { code } } }",
            new { id = S((await desk.Admin.QueryAsync("{ approvalProcesses { id } }"))["approvalProcesses"]![0]!["id"]) });
        await desk.TeamProcessAsync("ANY");
        var any = await desk.SubmitAsync("carol", "carol");
        var decided = (await desk.As("bob").MutateAsync(Approve, new { id = S(any["id"]) }))["request"]!;

        Assert.Equal("APPROVED", S(decided["status"]));
        Assert.Empty(decided["pendingApprovers"]!.AsArray());
        Assert.Empty((await desk.As("alice").QueryAsync(Pending))["myPendingApprovals"]!.AsArray());
    }

    [Fact]
    public async Task Only_eligible_approvers_decide_and_a_request_you_cannot_see_answers_as_a_made_up_id()
    {
        using var desk = await OpenAsync(fixture.Host);
        await desk.ThresholdProcessAsync();
        var request = S((await desk.SubmitAsync("alice", "alice"))["id"]);
        var madeUp = CrmEngine.Sdk.Records.RecordIds.GlobalId("ApprovalRequest", Guid.CreateVersion7());

        var byReader = await RunAsync(desk.As("dave"), Approve, new { id = request });
        var byOwner = await RunAsync(desk.As("alice"), Approve, new { id = request });
        var byOutsider = await RunAsync(desk.As("carol"), Approve, new { id = request });
        var byOutsiderMadeUp = await RunAsync(desk.As("carol"), Approve, new { id = madeUp });
        var garbage = await RunAsync(desk.As("carol"), Reject, new { id = "not-an-id", comment = "x" });

        Assert.Equal(["APPROVAL_NOT_APPROVER"], Codes(byReader));
        Assert.Equal(["APPROVAL_NOT_APPROVER"], Codes(byOwner));
        Assert.Equal(["NOT_FOUND"], Codes(byOutsider));
        Assert.Equal(byOutsider["userErrors"]!.ToJsonString(), byOutsiderMadeUp["userErrors"]!.ToJsonString());
        Assert.Equal(byOutsider["userErrors"]!.ToJsonString(), garbage["userErrors"]!.ToJsonString());
        var history = (await desk.Admin.QueryAsync(History, new { id = desk.Account("alice") }))["approvalHistory"]![0]!;
        Assert.Equal(("PENDING", "Manager"), (S(history["status"]), S(history["stepName"])));
        Assert.Equal(["SUBMITTED:"], Actions(history));
    }

    [Fact]
    public async Task Locked_fields_are_refused_on_every_write_path_while_pending_other_fields_stay_editable_and_all_are_free_after()
    {
        using var desk = await OpenAsync(fixture.Host);
        await desk.ThresholdProcessAsync();
        var request = S((await desk.SubmitAsync("alice", "alice"))["id"]);

        var locked = await RunAsync(desk.Admin, UpdateAccount, new { id = desk.Account("alice"), input = new { margin = 12 } });
        var bulk = (await desk.Admin.QueryAsync("mutation($inputs: [UpdateManyAccountsInput!]!) { updateManyAccounts(inputs: $inputs) { results { userErrors { field code } } } }",
            new { inputs = new object[] { new { id = desk.Account("alice"), margin = 13 } } }))["updateManyAccounts"]!["results"]![0]!;
        var renamed = await RunAsync(desk.Admin, UpdateAccount, new { id = desk.Account("alice"), input = new { name = "Acme East Alice (renamed)" } });
        await desk.As("mike").MutateAsync(Approve, new { id = request });
        var freed = await RunAsync(desk.As("alice"), UpdateAccount, new { id = desk.Account("alice"), input = new { margin = 14 } });

        Assert.Equal(["APPROVAL_LOCKED"], Codes(locked));
        Assert.Equal("margin", S(locked["userErrors"]![0]!["field"]));
        Assert.Equal("APPROVAL_LOCKED", S(bulk["userErrors"]![0]!["code"]));
        Assert.Empty(Codes(renamed));
        Assert.Empty(Codes(freed));
        var account = await desk.AccountAsync("alice");
        Assert.Equal(14m, account["margin"]!.GetValue<decimal>());
        Assert.Equal("Acme East Alice (renamed)", S(account["name"]));
    }

    [Fact]
    public async Task A_submitter_recalls_and_resubmits_a_rejection_needs_a_comment_and_the_history_keeps_every_request()
    {
        using var desk = await OpenAsync(fixture.Host);
        await desk.ThresholdProcessAsync();
        var first = S((await desk.SubmitAsync("alice", "alice", "first"))["id"]);

        var again = await RunAsync(desk.As("alice"), Submit, new { id = desk.Account("alice") });
        var recalledByOther = await RunAsync(desk.As("bob"), Recall, new { id = first });
        var recalled = (await desk.As("alice").MutateAsync(Recall, new { id = first }))["request"]!;
        var statusAfterRecall = S((await desk.AccountAsync("alice"))["approvalStatus"]);
        var second = S((await desk.SubmitAsync("alice", "alice", "second"))["id"]);
        var withoutReason = await RunAsync(desk.As("mike"), Reject, new { id = second, comment = "  " });
        var rejected = (await desk.As("mike").MutateAsync(Reject, new { id = second, comment = "价格不对" }))["request"]!;
        var decidedAgain = await RunAsync(desk.As("mike"), Approve, new { id = second });
        var third = await desk.SubmitAsync("alice", "alice", "third");

        Assert.Equal(["APPROVAL_PENDING"], Codes(again));
        Assert.Equal(["APPROVAL_NOT_SUBMITTER"], Codes(recalledByOther));
        Assert.Equal("RECALLED", S(recalled["status"]));
        Assert.Equal("recalled", statusAfterRecall);
        Assert.Equal(["APPROVAL_COMMENT_REQUIRED"], Codes(withoutReason));
        Assert.Equal("REJECTED", S(rejected["status"]));
        Assert.Equal(["APPROVAL_NOT_PENDING"], Codes(decidedAgain));
        Assert.Equal("PENDING", S(third["status"]));

        var history = (await desk.As("alice").QueryAsync(History, new { id = desk.Account("alice") }))["approvalHistory"]!.AsArray();
        Assert.Equal(["RECALLED", "REJECTED", "PENDING"], history.Select(r => S(r!["status"])));
        Assert.Equal(["first", "second", "third"], history.Select(r => S(r!["comment"])));
        Assert.Equal(["SUBMITTED:", "RECALLED:Manager"], Actions(history[0]!));
        Assert.Equal(["SUBMITTED:", "REJECTED:Manager"], Actions(history[1]!));
        var rejection = history[1]!["history"]![1]!;
        Assert.Equal((desk.User("mike"), "价格不对"), (S(rejection["actorId"]), S(rejection["comment"])));
        Assert.NotNull(rejection["at"]);
    }

    [Fact]
    public async Task A_delegate_sees_and_decides_the_approvals_handed_to_them_and_the_history_names_both()
    {
        using var desk = await OpenAsync(fixture.Host);
        await desk.ThresholdProcessAsync();
        await desk.As("mike").MutateAsync("mutation($to: ID, $until: DateTime) { delegateApprovals(to: $to, until: $until) { delegation { delegateId } userErrors { code } } }",
            new { to = desk.User("carol"), until = DateTime.UtcNow.AddDays(7) });
        var request = S((await desk.SubmitAsync("alice", "alice"))["id"]);

        var carolsList = (await desk.As("carol").QueryAsync(Pending))["myPendingApprovals"]!.AsArray();
        var approved = (await desk.As("carol").MutateAsync(Approve, new { id = request, comment = "代批" }))["request"]!;

        Assert.Equal([request], carolsList.Select(r => S(r!["id"])));
        Assert.Equal(desk.User("mike"), S(carolsList[0]!["onBehalfOf"]));
        Assert.Equal("APPROVED", S(approved["status"]));
        var decision = approved["history"]![1]!;
        Assert.Equal((desk.User("carol"), desk.User("mike")), (S(decision["actorId"]), S(decision["onBehalfOf"])));
        Assert.Empty((await desk.As("mike").QueryAsync(Pending))["myPendingApprovals"]!.AsArray());
    }

    [Fact]
    public async Task My_pending_approvals_list_only_mine_and_approvers_and_submitters_are_notified()
    {
        using var desk = await OpenAsync(fixture.Host);
        await desk.ThresholdProcessAsync();
        var alices = S((await desk.SubmitAsync("alice", "alice"))["id"]);
        var bobs = S((await desk.SubmitAsync("bob", "bob"))["id"]);
        await desk.As("mike").MutateAsync(Approve, new { id = bobs });

        Assert.Equal([alices], (await desk.As("mike").QueryAsync(Pending))["myPendingApprovals"]!.AsArray().Select(r => S(r!["id"])));
        Assert.Equal([bobs], (await desk.As("dave").QueryAsync(Pending))["myPendingApprovals"]!.AsArray().Select(r => S(r!["id"])));
        Assert.Empty((await desk.As("alice").QueryAsync(Pending))["myPendingApprovals"]!.AsArray());
        Assert.Empty((await desk.As("carol").QueryAsync(Pending))["myPendingApprovals"]!.AsArray());

        await desk.As("dave").MutateAsync(Reject, new { id = bobs, comment = "太贵" });
        var mikes = (await desk.As("mike").QueryAsync("{ notifications { message } }"))["notifications"]!.AsArray().Select(n => S(n!["message"])).ToList();
        var daves = (await desk.As("dave").QueryAsync("{ notifications { message } }"))["notifications"]!.AsArray().Select(n => S(n!["message"])).ToList();
        var bobsNotes = (await desk.As("bob").QueryAsync("{ notifications { message } }"))["notifications"]!.AsArray().Select(n => S(n!["message"])).ToList();
        Assert.Equal(2, mikes.Count(m => m.Contains("step 'Manager'", StringComparison.Ordinal)));
        Assert.Single(daves, m => m.Contains("step 'Director'", StringComparison.Ordinal));
        Assert.Single(bobsNotes, m => m.Contains("was rejected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_an_email_channel_approvers_and_submitters_are_also_emailed_once_and_a_refused_decision_sends_nothing()
    {
        await using var smtp = LoopbackSmtpServer.Start();
        using var desk = await OpenAsync(fixture.Host);
        await MessagingQueries.UseSmtpAsync(desk.Admin, smtp.Port);
        await desk.ThresholdProcessAsync();
        var bobs = S((await desk.SubmitAsync("bob", "bob"))["id"]);
        var toMike = (await smtp.WaitForAsync(1)).Single();

        var refused = await RunAsync(desk.As("carol"), Approve, new { id = bobs });
        await desk.As("mike").MutateAsync(Approve, new { id = bobs });
        await desk.As("dave").MutateAsync(Reject, new { id = bobs, comment = "太贵" });
        var mails = await smtp.WaitForAsync(3);

        Assert.Equal(["NOT_FOUND"], Codes(refused));
        Assert.Equal("mike@office.example", toMike.To.Mailboxes.Single().Address);
        Assert.StartsWith("Approval requested 待审批", toMike.Subject, StringComparison.Ordinal);
        Assert.Contains("step 'Manager'", toMike.TextBody, StringComparison.Ordinal);
        Assert.Equal(["mike@office.example", "dave@office.example", "bob@office.example"], mails.Select(m => m.To.Mailboxes.Single().Address));
        Assert.Contains("was rejected", mails[2].TextBody, StringComparison.Ordinal);
        await Task.Delay(300);
        Assert.Equal(3, smtp.Received.Count);
    }

    [Fact]
    public async Task Two_approvers_of_an_ANY_step_approving_at_once_decide_it_once()
    {
        using var desk = await OpenAsync(fixture.Host);
        await desk.TeamProcessAsync("ANY");
        for (var round = 0; round < 4; round++)
        {
            var request = S((await desk.SubmitAsync("carol", "carol"))["id"]);
            var answers = await Task.WhenAll(RunAsync(desk.As("alice"), Approve, new { id = request }), RunAsync(desk.As("bob"), Approve, new { id = request }));

            Assert.Single(answers, a => Codes(a).Count == 0);
            Assert.Single(answers, a => Codes(a).SequenceEqual(["APPROVAL_NOT_PENDING"]));
            var history = (await desk.Admin.QueryAsync(History, new { id = desk.Account("carol") }))["approvalHistory"]!.AsArray().Last()!;
            Assert.Equal(["SUBMITTED:", "APPROVED:East"], Actions(history));
            Assert.Equal("APPROVED", S(history["status"]));
        }
    }
}
