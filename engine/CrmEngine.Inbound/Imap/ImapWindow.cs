namespace CrmEngine.Inbound.Imap;

/// <summary>Where polling a folder stands: its UIDVALIDITY and the highest UID handled in it.</summary>
public readonly record struct ImapPosition(long UidValidity, long LastUid);

/// <summary>
/// Which messages of a folder a poll takes: those above the last UID handled, while the folder's
/// UIDVALIDITY is the one recorded. When the server renumbers the folder (another UIDVALIDITY) every
/// UID is new again and the poll starts from the first; what was taken already is then recognised by
/// its Message-ID, not its UID.
/// </summary>
public static class ImapWindow
{
    /// <summary>The UIDs to take, in order, and where the poll starts from.</summary>
    public static (IReadOnlyList<long> Take, ImapPosition From) Select(ImapPosition recorded, long folderValidity, IEnumerable<long> uids)
    {
        var from = recorded.UidValidity == folderValidity ? recorded : new ImapPosition(folderValidity, 0);

        // A search for "last+1:*" answers the highest message even when it is below last+1 (IMAP's "*").
        return ([.. uids.Where(uid => uid > from.LastUid).Distinct().Order()], from);
    }
}
