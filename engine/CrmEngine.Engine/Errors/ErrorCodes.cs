using System.Collections.Frozen;
using System.Reflection;

namespace CrmEngine.Engine.Errors;

/// <summary>The stable error codes clients can branch on. Never rename one: add a new one.</summary>
public static class ErrorCodes
{
    // Records
    public const string InvalidInput = "INVALID_INPUT";
    public const string UnknownEntity = "UNKNOWN_ENTITY";
    public const string UnknownField = "UNKNOWN_FIELD";
    public const string ReadOnlyField = "READ_ONLY_FIELD";
    public const string InvalidValue = "INVALID_VALUE";
    public const string Required = "REQUIRED";
    public const string TooLong = "TOO_LONG";
    public const string OutOfRange = "OUT_OF_RANGE";
    public const string PatternMismatch = "PATTERN_MISMATCH";
    public const string InvalidOption = "INVALID_OPTION";
    public const string UniqueViolation = "UNIQUE_VIOLATION";
    public const string LookupNotFound = "LOOKUP_NOT_FOUND";
    public const string NotFound = "NOT_FOUND";
    public const string VersionConflict = "VERSION_CONFLICT";
    public const string InvalidId = "INVALID_ID";
    public const string InvalidCursor = "INVALID_CURSOR";
    public const string PageSizeExceeded = "PAGE_SIZE_EXCEEDED";

    /// <summary>A changes feed cursor older than the feed's retention, or issued before the caller's access changed: sync again from the start.</summary>
    public const string CursorExpired = "CURSOR_EXPIRED";
    public const string Rejected = "REJECTED";

    /// <summary>A duplicate rule that blocks matched the record being written; the message names the rule and the matching records the writer may see.</summary>
    public const string DuplicateRecord = "DUPLICATE_RECORD";

    /// <summary>A duplicate rule's condition puts a matcher on a field whose kind it can't compare (PHONE on a date).</summary>
    public const string FieldNotMatchable = "FIELD_NOT_MATCHABLE";
    public const string PluginError = "PLUGIN_ERROR";
    public const string CascadeLimit = "CASCADE_LIMIT";

    /// <summary>A bulk mutation brought more items than the host allows in one request (<see cref="CrmEngineOptions.MaxBulkItems"/>); nothing was written.</summary>
    public const string TooManyItems = "TOO_MANY_ITEMS";

    /// <summary>An upsert was asked to match on a field that is not unique (or not a field); nothing was written.</summary>
    public const string NotUniqueField = "NOT_UNIQUE_FIELD";

    /// <summary>An item of an atomic bulk mutation that was valid but not written, because another item was refused.</summary>
    public const string NotWritten = "NOT_WRITTEN";

    /// <summary>A merge names no duplicate, or more than <c>Crm:MaxMergeDuplicates</c>.</summary>
    public const string TooManyDuplicates = "TOO_MANY_DUPLICATES";

    /// <summary>A merge names a record twice (a duplicate that is the master, or the same duplicate again).</summary>
    public const string MergeSameRecord = "MERGE_SAME_RECORD";

    /// <summary>An undo of a merge after <c>Crm:MergeUndoWindow</c>.</summary>
    public const string MergeUndoExpired = "MERGE_UNDO_EXPIRED";

    /// <summary>An undo of a merge already undone.</summary>
    public const string MergeAlreadyUndone = "MERGE_ALREADY_UNDONE";

    /// <summary>A user id (an owner, a recipient) that names no active user of the tenant.</summary>
    public const string UserNotFound = "USER_NOT_FOUND";

    // Plugins
    public const string PluginRefused = "PLUGIN_REFUSED";
    public const string DependencyNotEnabled = "DEPENDENCY_NOT_ENABLED";

    /// <summary>The plugin is installed but not enabled on this tenant (runJob).</summary>
    public const string PluginNotEnabled = "PLUGIN_NOT_ENABLED";

    /// <summary>A run of this job is already going on for the tenant, on this host or another (runJob).</summary>
    public const string JobRunning = "JOB_RUNNING";

    /// <summary>A write to a plugin's entity on a host whose plugin is older than the version the tenant was upgraded to (a rolling upgrade in progress).</summary>
    public const string PluginOutdated = "PLUGIN_OUTDATED";

    /// <summary>The plugin's upgrade to the version this host runs has not finished on the tenant: its entities, operations, hooks and jobs wait until it has (reads go on).</summary>
    public const string PluginUpgrading = "PLUGIN_UPGRADING";

    /// <summary>A destructive verb (uninstalling a plugin with its data) was asked without the confirmation it needs; nothing changed.</summary>
    public const string ConfirmationRequired = "CONFIRMATION_REQUIRED";

    // Queries
    public const string InvalidOperator = "INVALID_OPERATOR";
    public const string FilterTooDeep = "FILTER_TOO_DEEP";
    public const string InvalidSort = "INVALID_SORT";
    public const string InvalidAggregate = "INVALID_AGGREGATE";

    // Reports (docs/reports.md)
    /// <summary>A report measure whose function does not apply to its field (a sum of a text field, an average of a date).</summary>
    public const string InvalidMeasure = "INVALID_MEASURE";

    /// <summary>A report grouping with a date bucket on a field that is not a date or date-time, or a fiscal bucket without a fiscal year.</summary>
    public const string InvalidBucket = "INVALID_BUCKET";

    /// <summary>A report definition whose parts don't fit together (a comparison without a date grouping, a top N by an unknown measure, ...).</summary>
    public const string InvalidReport = "INVALID_REPORT";

    /// <summary>A report that must rank or fold more groups than the engine's aggregate limit (Crm:MaxAggregateGroups) to answer.</summary>
    public const string ReportTooManyGroups = "REPORT_TOO_MANY_GROUPS";

    /// <summary>A report subscription's schedule that can't run: an unknown time zone, a weekly one without weekdays, a monthly one without a day from 1 to 31.</summary>
    public const string InvalidSchedule = "INVALID_SCHEDULE";

    /// <summary>A report subscription's recipient that can't receive it: an address that is not an e-mail address, a user who is not there, is inactive or doesn't see the report.</summary>
    public const string InvalidRecipient = "INVALID_RECIPIENT";

    /// <summary>A sum a caller can only take as a decimal (the SDK's) needs more digits than a decimal holds; GraphQL gives it whole.</summary>
    public const string AggregateOverflow = "AGGREGATE_OVERFLOW";

    // Metadata
    public const string InvalidName = "INVALID_NAME";
    public const string ReservedName = "RESERVED_NAME";
    public const string NameTaken = "NAME_TAKEN";
    public const string LabelRequired = "LABEL_REQUIRED";
    public const string InvalidDefinition = "INVALID_DEFINITION";
    public const string UnsafeChange = "UNSAFE_CHANGE";

    // Formula fields: a formula that does not parse, whose types don't fit, that reads itself, or nests or reaches too far.
    public const string FormulaSyntaxError = "FORMULA_SYNTAX_ERROR";
    public const string FormulaTypeMismatch = "FORMULA_TYPE_MISMATCH";
    public const string FormulaCycle = "FORMULA_CYCLE";
    public const string FormulaTooDeep = "FORMULA_TOO_DEEP";
    public const string EntityInUse = "ENTITY_IN_USE";
    public const string NotRemoved = "NOT_REMOVED";

    // Rules
    public const string RuleError = "RULE_ERROR";
    public const string RuleLimitExceeded = "RULE_LIMIT_EXCEEDED";
    public const string ScriptSyntaxError = "SCRIPT_SYNTAX_ERROR";
    public const string RulesBusy = "RULES_BUSY";

    // Webhooks
    /// <summary>A webhook target that is not an http(s) URL, or whose host resolves to an address webhooks may not reach (loopback, private, link-local).</summary>
    public const string WebhookTargetRefused = "WEBHOOK_TARGET_REFUSED";

    // Approvals
    /// <summary>No active approval process of the entity takes the record (its criteria don't match).</summary>
    public const string ApprovalNoProcess = "APPROVAL_NO_PROCESS";

    /// <summary>The record already has a pending approval request.</summary>
    public const string ApprovalPending = "APPROVAL_PENDING";

    /// <summary>The request is no longer pending (approved, rejected or recalled), or its step was decided by someone else first.</summary>
    public const string ApprovalNotPending = "APPROVAL_NOT_PENDING";

    /// <summary>The caller is not an approver (nor an approver's delegate) of the request's current step.</summary>
    public const string ApprovalNotApprover = "APPROVAL_NOT_APPROVER";

    /// <summary>Only the submitter recalls a request.</summary>
    public const string ApprovalNotSubmitter = "APPROVAL_NOT_SUBMITTER";

    /// <summary>A rejection says why.</summary>
    public const string ApprovalCommentRequired = "APPROVAL_COMMENT_REQUIRED";

    /// <summary>A step the request reached has nobody who could decide it.</summary>
    public const string ApprovalNoApprovers = "APPROVAL_NO_APPROVERS";

    /// <summary>The update changes a field its approval process locks while the record is pending.</summary>
    public const string ApprovalLocked = "APPROVAL_LOCKED";

    // Messaging
    /// <summary>The message's recipient record opted out of its purpose (doNotEmail, doNotSms, optOutPurposes); nothing was queued.</summary>
    public const string RecipientOptedOut = "RECIPIENT_OPTED_OUT";

    /// <summary>The recipient record has no address for the channel (no e-mail or phone field with a value) and none was given.</summary>
    public const string NoRecipientAddress = "NO_RECIPIENT_ADDRESS";

    /// <summary>A message template that is not valid Liquid, or an HTML body left empty once sanitized.</summary>
    public const string TemplateInvalid = "TEMPLATE_INVALID";

    /// <summary>A message with attachments on a channel that carries none (SMS, webhook): only e-mail carries files.</summary>
    public const string AttachmentsNotSupported = "ATTACHMENTS_NOT_SUPPORTED";

    /// <summary>A message or a generated document names a template the tenant does not have.</summary>
    public const string TemplateNotFound = "TEMPLATE_NOT_FOUND";

    /// <summary>A document is asked of a template made for another entity's records.</summary>
    public const string TemplateWrongEntity = "TEMPLATE_WRONG_ENTITY";

    /// <summary>The server has no font for PDF documents (Crm:Documents:Font names no file).</summary>
    public const string DocumentFontMissing = "DOCUMENT_FONT_MISSING";

    // Access
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string Forbidden = "FORBIDDEN";

    /// <summary>A browser page on an origin the caller's tenant does not allow (CORS).</summary>
    public const string OriginNotAllowed = "ORIGIN_NOT_ALLOWED";

    // Public plugin endpoints and their signed links

    /// <summary>A link token that is not one the host signed, or not for this plugin's route and purpose.</summary>
    public const string LinkInvalid = "LINK_INVALID";

    /// <summary>A genuine link token past its expiry.</summary>
    public const string LinkExpired = "LINK_EXPIRED";

    /// <summary>A single-use link presented again.</summary>
    public const string LinkUsed = "LINK_USED";

    /// <summary>A request body over the endpoint's limit.</summary>
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";

    // Transport and execution
    public const string BadRequest = "BAD_REQUEST";
    public const string InternalError = "INTERNAL_ERROR";
    public const string Timeout = "TIMEOUT";
    public const string RateLimited = "RATE_LIMITED";
    public const string QueryTooDeep = "QUERY_TOO_DEEP";
    public const string QueryTooComplex = "QUERY_TOO_COMPLEX";
    public const string TooManyAliases = "TOO_MANY_ALIASES";
    public const string TooManyFields = "TOO_MANY_FIELDS";
    public const string TooManyDirectives = "TOO_MANY_DIRECTIVES";
    public const string TooManyFragments = "TOO_MANY_FRAGMENTS";
    public const string TooManyVariables = "TOO_MANY_VARIABLES";
    public const string TooManyRepeatedSelections = "TOO_MANY_REPEATED_SELECTIONS";
    public const string SyntaxError = "SYNTAX_ERROR";
    public const string TooManyConcurrentRequests = "TOO_MANY_CONCURRENT_REQUESTS";
    public const string IntrospectionDisabled = "INTROSPECTION_DISABLED";
    public const string BatchTooLarge = "BATCH_TOO_LARGE";

    // Storage and operations
    public const string StorageMisconfigured = "STORAGE_MISCONFIGURED";
    public const string StoreUnavailable = "STORE_UNAVAILABLE";
    public const string InvalidBackup = "INVALID_BACKUP";

    // Imports
    /// <summary>The uploaded file is neither CSV text nor an XLSX workbook, is empty, or can't be read as one.</summary>
    public const string ImportFileNotSupported = "IMPORT_FILE_NOT_SUPPORTED";

    /// <summary>The uploaded file is text in another encoding than UTF-8 (GBK, UTF-16): save it as CSV UTF-8 or XLSX.</summary>
    public const string ImportFileNotUtf8 = "IMPORT_FILE_NOT_UTF8";

    /// <summary>An import job's host stopped before the job ended; rows written before are kept.</summary>
    public const string ImportInterrupted = "IMPORT_INTERRUPTED";

    /// <summary>A lookup cell names more than one record by the field it is matched on.</summary>
    public const string AmbiguousLookup = "AMBIGUOUS_LOOKUP";

    // Files
    /// <summary>An uploaded file is larger than the tenant allows; nothing was stored.</summary>
    public const string FileTooLarge = "FILE_TOO_LARGE";

    /// <summary>An uploaded file's content (sniffed from its bytes, not its name or declared type) is not among the types the tenant allows; nothing was stored.</summary>
    public const string FileTypeNotAllowed = "FILE_TYPE_NOT_ALLOWED";

    /// <summary>A multipart GraphQL request that does not follow the multipart request spec (operations, then map, then the files).</summary>
    public const string MalformedMultipart = "MALFORMED_MULTIPART";

    /// <summary>A multipart GraphQL request whose map names a file part that was not sent, or sends a file the map does not name.</summary>
    public const string MissingMapEntry = "MISSING_MAP_ENTRY";

    /// <summary>A multipart POST without a GraphQL-Preflight (or Apollo-Require-Preflight) header: refused as a possible cross-site request.</summary>
    public const string PreflightRequired = "PREFLIGHT_REQUIRED";

    /// <summary>Every code above: plugins may refuse with them (meaning what the engine means) but never declare them as their own.</summary>
    public static readonly FrozenSet<string> All = typeof(ErrorCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToFrozenSet(StringComparer.Ordinal);
}
