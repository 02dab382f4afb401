using CrmEngine.Plugins.Marketing.Members;

namespace CrmEngine.Plugins.Marketing.Bounces;

/// <summary>Finds the campaign member a returned mail is about, by the engine's message id the member keeps (<c>messageId</c>).</summary>
internal static class ReturnedMail
{
    private const string IdSuffix = "@crmengine";

    /// <summary>
    /// The member whose last message had <paramref name="messageIdHeader"/>, a Message-ID the engine's
    /// messaging wrote (<c>{32 hex digits}@crmengine</c>); null for any other id or when no member has it.
    /// </summary>
    public static async Task<CrmRecord?> MemberAsync(IRecordApi records, string? messageIdHeader, CancellationToken cancellationToken)
    {
        var id = messageIdHeader?.Trim().Trim('<', '>');
        if (id is null || !id.EndsWith(IdSuffix, StringComparison.OrdinalIgnoreCase) || !Guid.TryParseExact(id[..^IdSuffix.Length], "N", out var messageId))
        {
            return null;
        }

        var found = await records.FindAsync(CampaignMemberEntity.Name, Condition.Eq("messageId", messageId.ToString()), 1, cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }
}
