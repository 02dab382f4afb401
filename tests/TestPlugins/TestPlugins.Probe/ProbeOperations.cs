using CrmEngine.Sdk.Messaging;
using CrmEngine.Sdk.Operations;
using CrmEngine.Sdk.Records;

namespace TestPlugins.Probe;

/// <summary>query probeFind(case: String!): the names a predefined condition, sort and page give.</summary>
public sealed class ProbeFind : IPluginOperation
{
    /// <inheritdoc/>
    public string Name => "probeFind";

    /// <inheritdoc/>
    public OperationKind Kind => OperationKind.Query;

    /// <inheritdoc/>
    public string Description => "Runs one of the probe's conditions.";

    /// <inheritdoc/>
    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("case", TypeRef.String.NonNull())];

    /// <inheritdoc/>
    public TypeRef Result => TypeRef.ListOf(TypeRef.String).NonNull();

    /// <inheritdoc/>
    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var where = context.Argument<string>("case") switch
        {
            "lt" => Condition.Lt("score", 20L),
            "between" => Condition.Between("amount", 15m, 35m),
            "contains" => Condition.Contains("name", "ALP"),
            "startsWith" => Condition.StartsWith("name", "be"),
            "endsWith" => Condition.EndsWith("name", "ma"),
            "notIn" => Condition.NotIn("score", [10L, 30L]),
            "isNotNull" => Condition.IsNotNull("day"),
            "hasAny" => Condition.HasAny("tags", ["b", "c"]),
            "hasAll" => Condition.HasAll("tags", ["a", "b"]),
            "thisYear" => Condition.Within("day", new RelativeDate(RelativePeriod.ThisYear, TimeZone: "Asia/Shanghai")),
            "through" => Condition.Through("group", Condition.Eq("name", "G1")),
            _ => throw new OperationException("UNKNOWN_CASE", "No such case.", "case"),
        };
        var names = new List<string>();
        await foreach (var item in context.Records.QueryAllAsync("probeItem", where, [SortBy.Desc("score")], cancellationToken))
        {
            names.Add(item.GetValue<string>("name")!);
        }

        return names;
    }
}

/// <summary>query probePage(after: String): one page of two items by score descending, with the total and the cursor.</summary>
public sealed class ProbePage : IPluginOperation
{
    /// <inheritdoc/>
    public string Name => "probePage";

    /// <inheritdoc/>
    public OperationKind Kind => OperationKind.Query;

    /// <inheritdoc/>
    public string Description => "Pages through the items.";

    /// <inheritdoc/>
    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("after", TypeRef.String)];

    /// <inheritdoc/>
    public TypeRef Result => TypeRef.Object("ProbePageResult",
        new FieldRef("names", TypeRef.ListOf(TypeRef.String).NonNull()),
        new FieldRef("hasMore", TypeRef.Boolean.NonNull()),
        new FieldRef("endCursor", TypeRef.String),
        new FieldRef("total", TypeRef.Int)).NonNull();

    /// <inheritdoc/>
    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var page = await context.Records.QueryAsync("probeItem", new RecordQuery { OrderBy = [SortBy.Desc("score")], First = 2, After = context.Argument<string>("after"), IncludeTotalCount = true }, cancellationToken);
        return new Dictionary<string, object?>
        {
            ["names"] = page.Records.Select(r => r.GetValue<string>("name")).ToList(),
            ["hasMore"] = page.HasMore,
            ["endCursor"] = page.EndCursor,
            ["total"] = page.TotalCount,
        };
    }
}

/// <summary>query probeSums: the sum of amounts per group (by the group's name) and the totals, as Money.</summary>
public sealed class ProbeSums : IPluginOperation
{
    /// <inheritdoc/>
    public string Name => "probeSums";

    /// <inheritdoc/>
    public OperationKind Kind => OperationKind.Query;

    /// <inheritdoc/>
    public string Description => "Aggregates the items by group.";

    /// <inheritdoc/>
    public IReadOnlyList<OperationArgument> Arguments { get; } = [];

    /// <inheritdoc/>
    public TypeRef Result => TypeRef.Object("ProbeSums",
        new FieldRef("count", TypeRef.Long.NonNull()),
        new FieldRef("total", TypeRef.Money.NonNull()),
        new FieldRef("maxScore", TypeRef.Long),
        new FieldRef("groups", TypeRef.ListOf(TypeRef.Object("ProbeGroupSum",
            new FieldRef("group", TypeRef.String),
            new FieldRef("count", TypeRef.Long.NonNull()),
            new FieldRef("total", TypeRef.Decimal),
            new FieldRef("kind", TypeRef.Enum("ProbeKind", "BIG", "SMALL").NonNull()))).NonNull())).NonNull();

    /// <inheritdoc/>
    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var sum = Aggregate.Sum("amount");
        var result = await context.Records.AggregateAsync("probeItem", new AggregateRequest { GroupBy = [new Grouping("group")], Values = [sum, Aggregate.Max("score")] }, cancellationToken);
        var groups = new List<Dictionary<string, object?>>();
        foreach (var group in result.Groups)
        {
            var name = group.Key[0] is Guid id ? (await context.Records.GetAsync("probeGroup", id, cancellationToken))?.GetValue<string>("name") : null;
            groups.Add(new Dictionary<string, object?> { ["group"] = name, ["count"] = group.Count, ["total"] = group.Value<decimal?>(sum), ["kind"] = group.Value<decimal?>(sum) > 50m ? "BIG" : "SMALL" });
        }

        return new Dictionary<string, object?>
        {
            ["count"] = await context.Records.CountAsync("probeItem", cancellationToken: cancellationToken),
            ["total"] = new Money(result.Totals.Value<decimal?>(sum) ?? 0m, "CNY"),
            ["maxScore"] = result.Totals.Value<long?>(Aggregate.Max("score")),
            ["groups"] = groups.OrderBy(g => g["group"] as string, StringComparer.Ordinal).ToList(),
        };
    }
}

/// <summary>query probeDirectory: the tenant's users and teams as the SDK's directory sees them.</summary>
public sealed class ProbeDirectory : IPluginOperation
{
    /// <inheritdoc/>
    public string Name => "probeDirectory";

    /// <inheritdoc/>
    public OperationKind Kind => OperationKind.Query;

    /// <inheritdoc/>
    public string Description => "Lists users and teams.";

    /// <inheritdoc/>
    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("team", TypeRef.String.NonNull())];

    /// <inheritdoc/>
    public TypeRef Result => TypeRef.Object("ProbeDirectory",
        new FieldRef("users", TypeRef.ListOf(TypeRef.String).NonNull()),
        new FieldRef("me", TypeRef.UserId.NonNull()),
        new FieldRef("system", TypeRef.UserId.NonNull()),
        new FieldRef("teamManager", TypeRef.UserId),
        new FieldRef("teamMembers", TypeRef.Int)).NonNull();

    /// <inheritdoc/>
    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var users = await context.Directory.GetUsersAsync(cancellationToken);
        var team = await context.Directory.FindTeamAsync(context.Argument<string>("team")!, cancellationToken);
        return new Dictionary<string, object?>
        {
            ["users"] = users.Select(u => $"{u.DisplayName} {string.Join('+', u.Roles)} {u.TeamIds.Count}").ToList(),
            ["me"] = context.Identity.UserId,
            ["system"] = context.Directory.SystemUserId,
            ["teamManager"] = team?.ManagerId,
            ["teamMembers"] = team?.MemberIds.Count,
        };
    }
}

/// <summary>mutation probeNotify(userId, message, fail): notifies, and with fail refuses afterwards (so the notification must not be sent).</summary>
public sealed class ProbeNotify : IPluginOperation
{
    /// <inheritdoc/>
    public string Name => "probeNotify";

    /// <inheritdoc/>
    public OperationKind Kind => OperationKind.Mutation;

    /// <inheritdoc/>
    public string Description => "Sends a notification, then maybe refuses.";

    /// <inheritdoc/>
    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("userId", TypeRef.Id.NonNull()), new("message", TypeRef.String.NonNull()), new("fail", TypeRef.Boolean)];

    /// <inheritdoc/>
    public TypeRef Result => TypeRef.Boolean.NonNull();

    /// <inheritdoc/>
    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        await context.Notifications.NotifyAsync(context.UserId("userId"), context.Argument<string>("message")!, cancellationToken: cancellationToken);
        return context.Argument<bool?>("fail") == true ? throw new OperationException("PROBE_REFUSED", "Refused after notifying.") : true;
    }
}

/// <summary>mutation probeCreate(name): an item written by the operation, once as the caller and once privileged.</summary>
public sealed class ProbeCreate : IPluginOperation
{
    /// <inheritdoc/>
    public string Name => "probeCreate";

    /// <inheritdoc/>
    public OperationKind Kind => OperationKind.Mutation;

    /// <inheritdoc/>
    public string Description => "Creates items from an operation.";

    /// <inheritdoc/>
    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("name", TypeRef.String.NonNull())];

    /// <inheritdoc/>
    public TypeRef Result => TypeRef.ListOf(TypeRef.Entity("probeItem")).NonNull();

    /// <inheritdoc/>
    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var name = context.Argument<string>("name")!;
        var plain = await context.Records.CreateAsync("probeItem", new Dictionary<string, object?> { ["name"] = name }, cancellationToken);
        var privileged = await context.PrivilegedRecords.CreateAsync("probeItem", new Dictionary<string, object?> { ["name"] = name + " (privileged)" }, cancellationToken);
        return new[] { plain.Record, privileged.Record };
    }
}

/// <summary>mutation probeMessage(name, to, purpose, fail, header): creates an item, queues an e-mail to it through IMessaging (with header, "Name: value", as an extra header field), then maybe refuses.</summary>
public sealed class ProbeMessage : IPluginOperation
{
    /// <inheritdoc/>
    public string Name => "probeMessage";

    /// <inheritdoc/>
    public OperationKind Kind => OperationKind.Mutation;

    /// <inheritdoc/>
    public string Description => "Creates an item and e-mails it, then maybe refuses.";

    /// <inheritdoc/>
    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("name", TypeRef.String.NonNull()), new("to", TypeRef.String.NonNull()), new("purpose", TypeRef.String.NonNull()), new("fail", TypeRef.Boolean), new("header", TypeRef.String)];

    /// <inheritdoc/>
    public TypeRef Result => TypeRef.String;

    /// <inheritdoc/>
    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var item = await context.Records.CreateAsync("probeItem", new Dictionary<string, object?> { ["name"] = context.Argument<string>("name") }, cancellationToken);
        var sent = await context.Messaging.SendAsync(
            new OutboundMessage(MessageChannel.Email, "probeItem", item.Record!.Id, context.Argument<string>("purpose")!) { Subject = "Probe " + item.Record.GetValue<string>("name"), Body = "<p>From the probe</p>", To = context.Argument<string>("to"), Headers = Header(context.Argument<string>("header")) },
            cancellationToken);
        if (!sent.Succeeded)
        {
            throw new OperationException(sent.Errors[0].Code, sent.Errors[0].Message, "to");
        }

        return context.Argument<bool?>("fail") == true ? throw new OperationException("PROBE_REFUSED", "Refused after queuing the message.") : sent.MessageId.ToString();
    }

    private static Dictionary<string, string>? Header(string? header) =>
        header?.Split(':', 2) is [var name, var value] ? new Dictionary<string, string> { [name.Trim()] = value.TrimStart() } : null;
}

/// <summary>
/// mutation probeCreateMany(names, giveTo, giveAt): creates an item per name ("" for none) in one
/// CreateManyAsync call (SDK 0.3), inside the operation's write, the item at giveAt owned by the user
/// giveTo; answers per item "created name" or the first error's code.
/// </summary>
public sealed class ProbeCreateMany : IPluginOperation
{
    /// <inheritdoc/>
    public string Name => "probeCreateMany";

    /// <inheritdoc/>
    public OperationKind Kind => OperationKind.Mutation;

    /// <inheritdoc/>
    public string Description => "Creates many items in one call.";

    /// <inheritdoc/>
    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("names", TypeRef.ListOf(TypeRef.String).NonNull()), new("giveTo", TypeRef.Id), new("giveAt", TypeRef.Int)];

    /// <inheritdoc/>
    public TypeRef Result => TypeRef.ListOf(TypeRef.String).NonNull();

    /// <inheritdoc/>
    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var names = ((System.Collections.IEnumerable)context.Arguments["names"]!).Cast<object?>().ToList();
        var giveAt = context.Argument<int?>("giveAt");
        var items = names.Select((name, i) =>
        {
            var values = new Dictionary<string, object?> { ["name"] = name is "" ? null : name };
            if (i == giveAt)
            {
                values["ownerId"] = context.UserId("giveTo");
            }

            return (IReadOnlyDictionary<string, object?>)values;
        }).ToList();
        var outcomes = await context.Records.CreateManyAsync("probeItem", items, cancellationToken);
        return outcomes.Select(o => o.Succeeded ? "created " + o.Record!.GetValue<string>("name") : o.Errors[0].Code).ToList();
    }
}
