using CrmEngine.Plugins.Marketing.Common;

namespace CrmEngine.Plugins.Marketing.Interactions;

/// <summary>What an interaction is about besides its person: its campaign and membership, a page or event, a detail.</summary>
internal sealed record InteractionFacts(Guid? CampaignId = null, Guid? MemberId = null, string? EventName = null, string? Url = null, string? Detail = null);

/// <summary>
/// Writes interactions, in the caller's write (so one commits with what caused it). The person is a
/// lead, a contact or an account; a lead's or contact's interaction also names their account (a
/// contact's account, a lead's existing or converted account), so the account's timeline has it.
/// </summary>
internal static class InteractionLog
{
    public static async Task RecordAsync(IRecordApi records, string kind, string personEntity, Guid personId, DateTime at, InteractionFacts facts, CancellationToken cancellationToken)
    {
        var values = new FieldValues
        {
            ["kind"] = kind,
            ["occurredAt"] = at,
            [personEntity] = personId,
            ["campaign"] = facts.CampaignId,
            ["campaignMember"] = facts.MemberId,
            ["eventName"] = Cut(facts.EventName, 100),
            ["url"] = Cut(facts.Url, 2000),
            ["detail"] = Cut(facts.Detail, 500),
        };
        if (personEntity != "account" && await AccountOfAsync(records, personEntity, personId, cancellationToken) is { } account)
        {
            values["account"] = account;
        }

        await Writes.RequireAsync(records.CreateAsync(InteractionEntity.Name, values, cancellationToken));
    }

    private static async Task<Guid?> AccountOfAsync(IRecordApi records, string entity, Guid id, CancellationToken cancellationToken) =>
        await records.GetAsync(entity, id, cancellationToken) is { } person
            ? person.GetValue("account") as Guid? ?? (entity == "lead" ? person.GetValue("convertedAccount") as Guid? : null)
            : null;

    private static string? Cut(string? text, int max) => text is { Length: > 0 } ? text[..Math.Min(max, text.Length)] : null;
}
