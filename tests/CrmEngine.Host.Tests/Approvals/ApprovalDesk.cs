using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Identity;
using CrmEngine.Host.Tests.Support;
using static CrmEngine.Host.Tests.Support.Schemas;

namespace CrmEngine.Host.Tests.Approvals;

/// <summary>
/// The sales office (<see cref="Office"/>: alice and bob in team East managed by mike, carol in West,
/// dave reading everything) with an approvalStatus picklist on accounts, and the approval operations
/// the tests send.
/// </summary>
public sealed class ApprovalDesk : IDisposable
{
    public const string Request = "id process status stepName pendingApprovers recordId submittedBy comment onBehalfOf history { action stepName actorId onBehalfOf comment at }";
    public const string Errors = "userErrors { field code message }";
    public const string Save = $"mutation($input: ApprovalProcessInput!) {{ saveApprovalProcess(input: $input) {{ approvalProcess {{ id name steps {{ name mode approvers {{ kind role userId teamId }} }} }} {Errors} }} }}";
    public const string Submit = $"mutation($id: ID!, $comment: String) {{ submitForApproval(entity: \"account\", id: $id, comment: $comment) {{ request {{ {Request} }} {Errors} }} }}";
    public const string Approve = $"mutation($id: ID!, $comment: String) {{ approve(requestId: $id, comment: $comment) {{ request {{ {Request} }} {Errors} }} }}";
    public const string Reject = $"mutation($id: ID!, $comment: String) {{ reject(requestId: $id, comment: $comment) {{ request {{ {Request} }} {Errors} }} }}";
    public const string Recall = $"mutation($id: ID!) {{ recall(requestId: $id) {{ request {{ {Request} }} {Errors} }} }}";
    public const string History = $"query($id: ID!) {{ approvalHistory(entity: \"account\", id: $id) {{ {Request} }} }}";
    public const string Pending = $"{{ myPendingApprovals {{ {Request} }} }}";
    public const string UpdateAccount = $"mutation($id: ID!, $input: UpdateAccountInput!) {{ updateAccount(id: $id, input: $input) {{ account {{ name margin approvalStatus }} {Errors} }} }}";

    private ApprovalDesk(Office office) => Office = office;

    public Office Office { get; }

    public TenantClient Admin => Office.Admin;

    public TenantClient As(string name) => Office.As[name];

    public string User(string name) => Office.UserIds[name];

    public string Account(string owner) => Office.Accounts[owner];

    public static async Task<ApprovalDesk> OpenAsync(CrmHost host)
    {
        var office = await Office.OpenAsync(host);
        await office.Admin.MutateAsync(AddField, new
        {
            entity = "account",
            input = Field("approvalStatus", "PICKLIST", new { options = new[] { "draft", "pending", "approved", "rejected", "recalled" }.Select(v => new { value = v, labels = Labels(v, v) }).ToArray() }),
        });
        return new ApprovalDesk(office);
    }

    /// <summary>A process on accounts that must be accepted: the status field, margin locked, steps as given.</summary>
    public async Task<string> ProcessAsync(string name, object[] steps, object? criteria = null, bool adminsMayApprove = false) =>
        S((await Admin.MutateAsync(Save, new
        {
            input = new
            {
                name,
                entity = "account",
                criteria,
                steps,
                lockedFields = new[] { "margin" },
                statusField = new { field = "approvalStatus", pending = "pending", approved = "approved", rejected = "rejected", recalled = "recalled" },
                adminsMayApprove,
            },
        }))["approvalProcess"]!["id"]);

    /// <summary>The threshold process: the owner's team manager, then dave (the director) only for margins above 15.</summary>
    public Task<string> ThresholdProcessAsync() => ProcessAsync("Account review",
        [
            new { name = "Manager", approvers = new[] { new { kind = "OWNERS_MANAGER" } } },
            new { name = "Director", when = new { margin = new { gt = 15 } }, approvers = new[] { new { kind = "USER", userId = User("dave") } } },
        ],
        criteria: new { industry = new { eq = "retail" } });

    /// <summary>A process whose one step is decided by team East, ANY or ALL.</summary>
    public async Task<string> TeamProcessAsync(string mode)
    {
        var east = (await Admin.QueryAsync("{ teams { id name } }"))["teams"]!.AsArray().Single(t => S(t!["name"]) == "East")!["id"]!.GetValue<string>();
        return await ProcessAsync("East " + mode, [new { name = "East", mode, approvers = new[] { new { kind = "TEAM", teamId = east } } }]);
    }

    /// <summary>Submits an account as a user; the request, which must be accepted.</summary>
    public async Task<JsonNode> SubmitAsync(string who, string owner, string? comment = null) =>
        (await As(who).MutateAsync(Submit, new { id = Account(owner), comment }))["request"]!;

    public static async Task<JsonNode> RunAsync(TenantClient client, string mutation, object variables) =>
        (await client.QueryAsync(mutation, variables)).AsObject().Single().Value!;

    public static List<string> Codes(JsonNode payload) => payload["userErrors"]!.AsArray().Select(e => S(e!["code"])).ToList();

    public static List<string> Actions(JsonNode request) => request["history"]!.AsArray().Select(e => S(e!["action"]) + ":" + e["stepName"]?.GetValue<string>()).ToList();

    public async Task<JsonNode> AccountAsync(string owner) =>
        (await Admin.QueryAsync("query($id: ID!) { account(id: $id) { name margin approvalStatus } }", new { id = Account(owner) }))["account"]!;

    public static string S(JsonNode? node) => node!.GetValue<string>();

    public void Dispose() => Office.Dispose();
}
