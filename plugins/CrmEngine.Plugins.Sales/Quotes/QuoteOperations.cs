using CrmEngine.Plugins.Sales.Common;
using CrmEngine.Plugins.Sales.Orders;
using CrmEngine.Plugins.Sales.Settings;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Sales.Quotes;

/// <summary><c>reviseQuote(id)</c>: a new draft revision with the same lines; the quote it revises is superseded.</summary>
internal sealed class ReviseQuote : IPluginOperation
{
    private static readonly string[] CopiedHeader = ["name", "account", "contact", "opportunity", "priceList", "validUntil", "terms"];
    private static readonly string[] CopiedLine = ["product", "description", "quantity", "unitPrice", "discountPercent", "taxRate", "sortOrder"];

    public string Name => "reviseQuote";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Makes a new draft revision of the current quote (same lines, to edit); the revised quote is superseded.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull(), "The current revision.")];

    public TypeRef Result => TypeRef.Entity(QuoteEntities.Quote);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var quote = await Writes.ExistingAsync(context.Records, QuoteEntities.Quote, context.RecordId("id", QuoteEntities.Quote), "id", cancellationToken);
        if (quote.GetValue<string>("status") is "superseded" or "accepted")
        {
            throw new OperationException(SalesErrors.QuoteNotCurrent, $"Quote {quote.GetValue<string>("number")} is {quote.GetValue<string>("status")}; revise its latest revision instead.", "id");
        }

        var values = CopiedHeader.ToDictionary(f => f, quote.GetValue);
        values["revision"] = (quote.GetValue<long?>("revision") ?? 1) + 1;
        values["previousRevision"] = quote.Id;
        values["ownerId"] = quote.OwnerId;
        var revision = await Writes.RequireAsync(context.Records.CreateAsync(QuoteEntities.Quote, values, cancellationToken));
        await foreach (var line in context.Records.QueryAllAsync(QuoteEntities.QuoteLine, Condition.Eq("quote", quote.Id), [SortBy.Asc("sortOrder")], cancellationToken))
        {
            var copy = CopiedLine.ToDictionary(f => f, line.GetValue);
            copy["quote"] = revision.Id;
            await Writes.RequireAsync(context.Records.CreateAsync(QuoteEntities.QuoteLine, copy, cancellationToken));
        }

        await Writes.RequireAsync(context.Records.UpdateAsync(QuoteEntities.Quote, quote.Id, new FieldValues { ["status"] = "superseded" }, quote.Version, cancellationToken), "id");
        return await context.Records.GetAsync(QuoteEntities.Quote, revision.Id, cancellationToken);
    }
}

/// <summary><c>acceptQuote(id)</c>: the customer accepts the current revision; a sales order is created from it, line for line.</summary>
internal sealed class AcceptQuote : IPluginOperation
{
    private static readonly string[] CopiedLine = ["product", "description", "quantity", "unitPrice", "discountPercent", "taxRate", "sortOrder"];

    public string Name => "acceptQuote";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Accepts the current revision of a quote and creates the sales order from it.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull(), "The quote (its current revision).")];

    public TypeRef Result => TypeRef.Object("AcceptQuoteResult",
        new FieldRef("quote", TypeRef.Entity(QuoteEntities.Quote).NonNull()),
        new FieldRef("order", TypeRef.Entity(OrderEntities.Order).NonNull())).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var records = context.Records;
        var quote = await Writes.ExistingAsync(records, QuoteEntities.Quote, context.RecordId("id", QuoteEntities.Quote), "id", cancellationToken);
        var number = quote.GetValue<string>("number");
        switch (quote.GetValue<string>("status"))
        {
            case "superseded":
                throw new OperationException(SalesErrors.QuoteNotCurrent, $"Quote {number} was superseded by a later revision; accept that one.", "id");
            case "accepted" or "rejected":
                throw new OperationException(SalesErrors.InvalidState, $"Quote {number} is already {quote.GetValue<string>("status")}.", "id");
        }

        var settings = await SalesSettings.LoadAsync(context, cancellationToken);
        var today = Periods.Today(DateTime.UtcNow, settings.Zone);
        if (quote.GetValue("validUntil") is DateOnly validUntil && validUntil < today)
        {
            throw new OperationException(SalesErrors.QuoteExpired, $"Quote {number} was valid until {validUntil:yyyy-MM-dd}; revise it.", "id");
        }

        var lines = new List<CrmRecord>();
        await foreach (var line in records.QueryAllAsync(QuoteEntities.QuoteLine, Condition.Eq("quote", quote.Id), [SortBy.Asc("sortOrder")], cancellationToken))
        {
            lines.Add(line);
        }

        if (lines.Count == 0)
        {
            throw new OperationException(SalesErrors.QuoteEmpty, $"Quote {number} has no lines.", "id");
        }

        var accepted = await Writes.RequireAsync(records.UpdateAsync(QuoteEntities.Quote, quote.Id, new FieldValues { ["status"] = "accepted", ["acceptedAt"] = DateTime.UtcNow }, quote.Version, cancellationToken), "id");
        var values = new FieldValues
        {
            ["account"] = quote.GetValue("account"),
            ["contact"] = quote.GetValue("contact"),
            ["opportunity"] = quote.GetValue("opportunity"),
            ["quote"] = quote.Id,
            ["orderDate"] = today,
        };
        if (quote.GetValue("opportunity") is null)
        {
            // On an opportunity the order is the opportunity owner's (DealOwnership); otherwise the quote owner's.
            values["ownerId"] = quote.OwnerId;
        }

        var order = await Writes.RequireAsync(context.PrivilegedRecords.CreateAsync(OrderEntities.Order, values, cancellationToken));
        foreach (var line in lines)
        {
            var copy = CopiedLine.ToDictionary(f => f, line.GetValue);
            copy["order"] = order.Id;
            await Writes.RequireAsync(context.PrivilegedRecords.CreateAsync(OrderEntities.OrderLine, copy, cancellationToken));
        }

        return new Dictionary<string, object?> { ["quote"] = accepted, ["order"] = await records.GetAsync(OrderEntities.Order, order.Id, cancellationToken) };
    }
}
