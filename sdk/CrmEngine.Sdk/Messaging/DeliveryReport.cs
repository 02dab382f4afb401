namespace CrmEngine.Sdk.Messaging;

/// <summary>
/// A delivery status notification (DSN, RFC 3464) received by mail: what a mail server reports about
/// a message it could not deliver (or delayed), and which message that was.
/// </summary>
public sealed record DeliveryReport
{
    /// <summary>
    /// The Message-ID (without angle brackets) of the message reported on, from the headers the report
    /// returns (its <c>text/rfc822-headers</c> or <c>message/rfc822</c> part); null when it returns none.
    /// Messages sent through <see cref="IMessaging"/> carry <c>&lt;{message id as 32 hex digits}@crmengine&gt;</c>.
    /// </summary>
    public string? OriginalMessageId { get; init; }

    /// <summary>The report's <c>Original-Envelope-Id</c>, if the sender gave one.</summary>
    public string? OriginalEnvelopeId { get; init; }

    /// <summary>One entry per recipient the report is about.</summary>
    public IReadOnlyList<DeliveryReportRecipient> Recipients { get; init; } = [];
}

/// <summary>What a delivery report says about one recipient.</summary>
/// <param name="Recipient">The <c>Final-Recipient</c> address (without its <c>rfc822;</c> type), else the <c>Original-Recipient</c>'s; null when neither parses.</param>
/// <param name="Action">The <c>Action</c> field, lowercase: <c>failed</c>, <c>delayed</c>, <c>delivered</c>, <c>relayed</c> or <c>expanded</c>.</param>
/// <param name="Status">The <c>Status</c> field, such as <c>5.1.1</c> (permanent failure) or <c>4.2.2</c> (transient).</param>
/// <param name="Diagnostic">The <c>Diagnostic-Code</c> field (without its <c>smtp;</c> type), if any: the remote server's answer.</param>
public sealed record DeliveryReportRecipient(string? Recipient, string Action, string Status, string? Diagnostic)
{
    /// <summary>True when the status is permanent (5.x.x): delivery will not succeed.</summary>
    public bool IsPermanent => Status.StartsWith('5');

    /// <summary>True when the status is transient (4.x.x): the server may still deliver, or give up later.</summary>
    public bool IsTransient => Status.StartsWith('4');
}
