using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Plugins.Partners.Profiles;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Registrations;

/// <summary>
/// <c>submitDealRegistration(partnerId, input)</c>: a partner claims a deal. The claim is checked (an active
/// partner, a customer name that is more than a legal form, an amount, a close date not past),
/// stored, checked for conflicts (each kept as a <c>dealConflict</c> with its reasons) and sent for
/// approval, all in one transaction: a refusal leaves nothing behind.
/// </summary>
internal sealed class SubmitDealRegistration : IPluginOperation
{
    private static readonly string[] Copied = ["customerName", "contactName", "email", "phone", "region", "products", "notes"];

    public string Name => "submitDealRegistration";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Submits a partner's deal registration: checked for conflicts with accounts, leads, opportunities and other partners' registrations, then sent for approval.";

    public IReadOnlyList<OperationArgument> Arguments { get; } =
    [
        new("partnerId", TypeRef.Id.NonNull(), "The partner registering the deal."),
        new("input", TypeRef.Input("DealClaimInput",
            new FieldRef("customerName", TypeRef.String.NonNull(), "The customer company, as the partner writes it."),
            new FieldRef("contactName", TypeRef.String),
            new FieldRef("email", TypeRef.String, "The customer contact's e-mail (its domain is matched unless it is a public mail service)."),
            new FieldRef("phone", TypeRef.String),
            new FieldRef("region", TypeRef.String),
            new FieldRef("products", TypeRef.String, "What the customer is buying."),
            new FieldRef("productCategories", TypeRef.ListOf(TypeRef.String)),
            new FieldRef("amount", TypeRef.Decimal.NonNull(), "The estimated amount in CNY, more than zero."),
            new FieldRef("expectedCloseDate", TypeRef.Date.NonNull()),
            new FieldRef("notes", TypeRef.String)).NonNull()),
    ];

    public TypeRef Result => TypeRef.Entity(RegistrationEntities.Registration);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var input = Args.Input(context);
        var partner = await ActivePartnerAsync(context, cancellationToken);
        var partnerId = partner.Id;
        var values = Check(input, partner);

        // The conflicts are found first, from the keys the registration's hook will store (the same
        // functions of the same values), so the registration is written once, with its count and
        // submission time, rather than created and then updated (a whole pass of the write pipeline).
        var conflicts = await ConflictDetector.FindAsync(context.PrivilegedRecords, CustomerKeys.Of(values["customerName"] as string, values["email"] as string, values["phone"] as string), partnerId, cancellationToken);
        values["conflictCount"] = (long)conflicts.Count;
        values["submittedAt"] = DateTime.UtcNow;
        var created = await Writes.RequireAsync(context.Records.CreateAsync(RegistrationEntities.Registration, values, cancellationToken));
        foreach (var conflict in conflicts)
        {
            await Writes.RequireAsync(context.PrivilegedRecords.CreateAsync(RegistrationEntities.Conflict, new FieldValues
            {
                ["registration"] = created.Id,
                ["kind"] = conflict.Kind,
                ["reasons"] = conflict.Reasons,
                ["matchedName"] = conflict.Name,
                [conflict.Kind == "registration" ? "otherRegistration" : conflict.Kind] = conflict.Record.Id,
            }, cancellationToken));
        }

        await context.Approvals.SubmitAsync(RegistrationEntities.Registration, created.Id, conflicts.Count == 0 ? null : $"{conflicts.Count} conflict(s) found", cancellationToken);
        return await context.Records.GetAsync(RegistrationEntities.Registration, created.Id, cancellationToken);
    }

    /// <summary>The partner named by <c>partnerId</c> as the caller sees it (another partner's is NOT_FOUND to its staff), if it is active.</summary>
    public static async Task<CrmRecord> ActivePartnerAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var partnerId = context.RecordId("partnerId", PartnerEntities.Partner);
        var partner = await context.Records.GetAsync(PartnerEntities.Partner, partnerId, cancellationToken)
            ?? throw new OperationException(PartnerErrors.NotFound, $"There is no partner with id {partnerId}.", "partnerId");
        return partner.GetValue<string>("status") is "active"
            ? partner
            : throw new OperationException(PartnerErrors.PartnerInactive, $"Partner '{partner.GetValue<string>("name")}' is {partner.GetValue<string>("status")}; only active partners register deals.", "partnerId");
    }

    /// <summary>The registration's values, or the first thing wrong with the claim.</summary>
    private static FieldValues Check(IReadOnlyDictionary<string, object?> input, CrmRecord partner)
    {
        if (Matching.MatchKeys.Company(Args.Text(input, "customerName")) is null)
        {
            throw new OperationException(PartnerErrors.InvalidInput, "Name the customer company (a legal form alone names nobody).", "customerName");
        }

        if (Args.Decimal(input, "amount") is not > 0m)
        {
            throw new OperationException(PartnerErrors.InvalidInput, "The estimated amount is more than zero.", "amount");
        }

        var close = Args.Date(input, "expectedCloseDate");
        if (close is null || close < PartnerSettings.Today(DateTime.UtcNow))
        {
            throw new OperationException(PartnerErrors.InvalidInput, "The expected close date is today or later.", "expectedCloseDate");
        }

        var values = Copied.ToDictionary(f => f, f => (object?)Args.Text(input, f));
        values["partner"] = partner.Id;
        values["amount"] = new Money(Args.Decimal(input, "amount")!.Value, "CNY");
        values["expectedCloseDate"] = close;
        values["productCategories"] = Args.Texts(input, "productCategories");
        return values;
    }
}
