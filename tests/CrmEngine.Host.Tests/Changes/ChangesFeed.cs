using System.Text.Json.Nodes;
using CrmEngine.Host.Tests.Support;

namespace CrmEngine.Host.Tests.Changes;

/// <summary>Reads the account changes feed over HTTP, as an offline client does.</summary>
internal static class ChangesFeed
{
    public const string Query = """
        query($since: String, $first: Int) {
          accountChanges(since: $since, first: $first) { items { kind id at account { id name margin ownerId } } cursor hasMore }
        }
        """;

    public static async Task<JsonNode> PageAsync(TenantClient client, string? since, int? first = null) =>
        (await client.QueryAsync(Query, new { since, first }))["accountChanges"]!;

    /// <summary>Pages until hasMore is false; the items in order and the last cursor.</summary>
    public static async Task<(List<JsonNode> Items, string Cursor)> AllAsync(TenantClient client, string? since, int first = 2)
    {
        var items = new List<JsonNode>();
        while (true)
        {
            var page = await PageAsync(client, since, first);
            items.AddRange(page["items"]!.AsArray().Select(i => i!));
            since = page["cursor"]!.GetValue<string>();
            if (!page["hasMore"]!.GetValue<bool>())
            {
                return (items, since);
            }
        }
    }

    /// <summary>
    /// Reads from <paramref name="since"/> again until <paramref name="done"/> holds (15 s at most). On
    /// PostgreSQL a change waits while any transaction that began before it is open, on the whole
    /// server (other tests' too), so what was just written may take a moment to be handed out.
    /// </summary>
    public static async Task<(List<JsonNode> Items, string Cursor)> SettledAsync(TenantClient client, string? since, Func<List<JsonNode>, bool> done, int first = 2)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var read = await AllAsync(client, since, first);
            if (done(read.Items) || DateTime.UtcNow > until)
            {
                return read;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Each item as "KIND name" (a tombstone as "KIND id").</summary>
    public static List<string> Describe(IEnumerable<JsonNode> items) =>
        items.Select(i => $"{i["kind"]} {i["account"]?["name"]?.GetValue<string>() ?? i["id"]!.GetValue<string>()}").ToList();

    public static Task<JsonNode> UpdateAsync(TenantClient client, string id, object input) =>
        client.MutateAsync("mutation($id: ID!, $input: UpdateAccountInput!) { updateAccount(id: $id, input: $input) { account { id updatedAt } userErrors { code message } } }", new { id, input });

    public static Task<JsonNode> DeleteAsync(TenantClient client, string id) =>
        client.MutateAsync("mutation($id: ID!) { deleteAccount(id: $id) { deletedId userErrors { code message } } }", new { id });

    public static async Task<string> CreateAsync(TenantClient client, string name) =>
        (await client.MutateAsync("mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id } userErrors { code message } } }",
            new { input = new { name } }))["account"]!["id"]!.GetValue<string>();
}

/// <summary>A client's offline copy of the accounts it reads, kept by applying the feed.</summary>
internal sealed class Replica(TenantClient client)
{
    public Dictionary<string, JsonNode> Records { get; } = new(StringComparer.Ordinal);

    /// <summary>Every item applied, in the order received.</summary>
    public List<JsonNode> Received { get; } = [];

    public string? Cursor { get; private set; }

    public IEnumerable<string> Names => Records.Values.Select(r => r["name"]!.GetValue<string>()).Order(StringComparer.Ordinal);

    /// <summary>Reads the feed from the last cursor until it has nothing more, applying every item.</summary>
    public async Task<Replica> PullAsync(int first = 2)
    {
        var (items, cursor) = await ChangesFeed.AllAsync(client, Cursor, first);
        foreach (var item in items)
        {
            Received.Add(item);
            var id = item["id"]!.GetValue<string>();
            if (item["kind"]!.GetValue<string>() == "UPSERT")
            {
                Records[id] = item["account"]!;
            }
            else
            {
                Records.Remove(id);
            }
        }

        Cursor = cursor;
        return this;
    }

    /// <summary>Pulls until <paramref name="done"/> holds (see <see cref="ChangesFeed.SettledAsync"/>), at most 15 s.</summary>
    public async Task<Replica> PullUntilAsync(Func<Replica, bool> done)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (!done(await PullAsync()) && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }

        return this;
    }

    public IEnumerable<JsonNode> ReceivedFor(string id) => Received.Where(i => i["id"]!.GetValue<string>() == id);
}
