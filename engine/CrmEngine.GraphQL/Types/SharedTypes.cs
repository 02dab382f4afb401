using CrmEngine.Sdk.Records;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.GraphQL.Execution;
using GraphQL;
using GraphQL.Types;

namespace CrmEngine.GraphQL.Types;

/// <summary>
/// The types every tenant schema has. Graph types can't be shared between schemas, so each build
/// makes its own set; within a build each exists once.
/// </summary>
public sealed class SharedTypes
{
    public SharedTypes()
    {
        PageInfo = SourceObject("PageInfo", "Relay paging information.",
            ("hasNextPage", NonNull(Boolean), s => ((IPageInfo)s).HasNextPage),
            ("hasPreviousPage", NonNull(Boolean), s => ((IPageInfo)s).HasPreviousPage),
            ("startCursor", String, s => ((IPageInfo)s).StartCursor),
            ("endCursor", String, s => ((IPageInfo)s).EndCursor));
        UserError = SourceObject("UserError", "Why a mutation did not do what was asked. Nothing was written.",
            ("field", String, s => ((Engine.Errors.CrmError)s).Field),
            ("code", NonNull(String), s => ((Engine.Errors.CrmError)s).Code),
            ("message", NonNull(String), s => ((Engine.Errors.CrmError)s).Message));
        Money = SourceObject("Money", "An exact amount in a currency.",
            ("amount", NonNull(Decimal), s => ((Money)s).Amount),
            ("currency", NonNull(String), s => ((Money)s).Currency));
        MoneyInput = Input("MoneyInput", "An amount, and its ISO 4217 currency (the field's default currency when omitted).",
            ("amount", NonNull(Decimal)), ("currency", String));
        LocalizedLabel = SourceObject("LocalizedLabel", "A display text in one locale.",
            ("locale", NonNull(String), s => ((KeyValuePair<string, string>)s).Key),
            ("text", NonNull(String), s => ((KeyValuePair<string, string>)s).Value));
        LocalizedLabelInput = Input("LocalizedLabelInput", "A display text in one locale, such as { locale: \"zh-CN\", text: \"线索\" }.",
            ("locale", NonNull(String)), ("text", NonNull(String)));
        FieldChange = SourceObject("FieldChange", "One field's value before and after a write.",
            ("field", NonNull(String), s => ((AuditedChange)s).Field),
            ("old", Json, s => ((AuditedChange)s).Old),
            ("new", Json, s => ((AuditedChange)s).New));
        AuditEntry = SourceObject("AuditEntry", "One write to a record: who, when, and what changed.",
            ("id", NonNull(Id), s => ((AuditEntry)s).Id.ToString()),
            ("operation", NonNull(String), s => ((AuditEntry)s).Operation),
            ("version", NonNull(Int), s => (int)((AuditEntry)s).Version),
            ("at", NonNull(DateTime), s => ((AuditEntry)s).At),
            ("actor", Id, s => ((AuditEntry)s).Actor is { } a ? GlobalId.Encode(GlobalId.UserType, a) : null),
            ("changes", NonNull(new ListGraphType(NonNull(FieldChange))), s => ((AuditEntry)s).Changes),
            ("cause", String, s => ((AuditEntry)s).Cause));
        DuplicateAction = new EnumerationGraphType<Engine.Records.Pipeline.DuplicateAction> { Name = "DuplicateAction", Description = "What a duplicate rule does when a write matches it: WARN lets it through and reports the matches, BLOCK refuses it (DUPLICATE_RECORD)." };
        DuplicateMatch = SourceObject("DuplicateMatch", "A duplicate rule a write matched, and the matching records you may read.",
            ("ruleId", NonNull(Id), s => GlobalId.Encode(DuplicateRuleType, ((Engine.Records.Pipeline.DuplicateMatch)s).RuleId)),
            ("rule", NonNull(String), s => ((Engine.Records.Pipeline.DuplicateMatch)s).Rule),
            ("action", NonNull(DuplicateAction), s => ((Engine.Records.Pipeline.DuplicateMatch)s).Action),
            ("recordIds", NonNull(ListOf(Id)), s => DuplicateRecordIds((Engine.Records.Pipeline.DuplicateMatch)s)),
            ("hiddenMatches", NonNull(Boolean), s => ((Engine.Records.Pipeline.DuplicateMatch)s).HiddenMatches));
        Node = new InterfaceGraphType { Name = "Node", Description = "An object with a global id (Relay)." };
        Node.AddField(new FieldType { Name = "id", ResolvedType = NonNull(Id) });
        Filters = new FilterTypes(this);
    }

    public StringGraphType String { get; } = new();

    public IdGraphType Id { get; } = new();

    public IntGraphType Int { get; } = new();

    public LongGraphType Long { get; } = new();

    public DecimalGraphType Decimal { get; } = new CrmDecimalGraphType();

    public BigDecimalGraphType BigDecimal { get; } = new();

    public BooleanGraphType Boolean { get; } = new();

    public DateOnlyGraphType Date { get; } = new() { Name = "Date", Description = "A calendar date, yyyy-MM-dd." };

    public DateTimeGraphType DateTime { get; } = new() { Description = "An ISO 8601 instant; the engine stores and returns UTC." };

    public JsonGraphType Json { get; } = new();

    public OrderDirectionGraphType OrderDirection { get; } = new();

    public EnumerationGraphType<Engine.Records.Querying.DeletedRecords> DeletedRecords { get; } = new() { Name = "DeletedRecords", Description = "Whether a list leaves out, includes, or only shows deleted records." };

    public ObjectGraphType PageInfo { get; }

    public ObjectGraphType UserError { get; }

    public ObjectGraphType Money { get; }

    public InputObjectGraphType MoneyInput { get; }

    public ObjectGraphType LocalizedLabel { get; }

    public InputObjectGraphType LocalizedLabelInput { get; }

    public ObjectGraphType FieldChange { get; }

    public ObjectGraphType AuditEntry { get; }

    public InterfaceGraphType Node { get; }

    /// <summary>The type name in the global ids of duplicate rules.</summary>
    public const string DuplicateRuleType = "DuplicateRule";

    public EnumerationGraphType<Engine.Records.Pipeline.DuplicateAction> DuplicateAction { get; }

    public ObjectGraphType DuplicateMatch { get; }

    /// <summary>The duplicate rules a write matched (warnings when it went through, the blocking rule when refused).</summary>
    public IGraphType DuplicateMatches => NonNull(ListOf(DuplicateMatch));

    /// <summary>The allowDuplicates argument of the record mutations.</summary>
    public QueryArgument AllowDuplicatesArgument() => new(Boolean)
    {
        Name = "allowDuplicates",
        DefaultValue = false,
        Description = "Acknowledges duplicate warnings: rules that warn are skipped. Rules that block still refuse the write.",
    };

    private static List<string> DuplicateRecordIds(Engine.Records.Pipeline.DuplicateMatch match) =>
        match.RecordIds.Select(id => GlobalId.Encode(match.Entity, id)).ToList();

    public FilterTypes Filters { get; }

    // Already non-null types are kept as they are: NonNull(NonNull(T)) is not a type, and a schema
    // holding one fails to build (a plugin operation declaring ListOf(X.NonNull()) was dropped for it).
    public static NonNullGraphType NonNull(IGraphType type) => type as NonNullGraphType ?? new(type);

    public static ListGraphType ListOf(IGraphType type) => new(NonNull(type));

    public IGraphType UserErrors => NonNull(ListOf(UserError));

    /// <summary><c>label(locale: String): String</c> and <c>labels: [LocalizedLabel!]!</c> over some localized text.</summary>
    public void AddLabels(IComplexGraphType type, string name, Func<object, LocalizedText?> labels, bool required = true)
    {
        type.AddField(new FieldType
        {
            Name = name,
            Description = "The text in the given locale, else the request's Accept-Language, else English.",
            ResolvedType = required ? NonNull(String) : String,
            Arguments = new QueryArguments(new QueryArgument(String) { Name = "locale" }),
            Resolver = Resolve.Sync(c => labels(c.Source!)?.Get(c.GetArgument<string?>("locale") ?? c.Crm().Locale)),
        });
        type.AddField(new FieldType
        {
            Name = name + "s",
            ResolvedType = NonNull(ListOf(LocalizedLabel)),
            Resolver = Resolve.Sync(c => labels(c.Source!)?.Texts.ToList() ?? []),
        });
    }

    public ObjectGraphType Object(string name, string description, params (string Name, IGraphType Type, Func<global::GraphQL.IResolveFieldContext, object?> Resolve)[] fields)
    {
        var type = new ObjectGraphType { Name = name, Description = description };
        foreach (var (fieldName, fieldType, resolve) in fields)
        {
            type.AddField(new FieldType { Name = fieldName, ResolvedType = fieldType, Resolver = Execution.Resolve.Sync(resolve) });
        }

        return type;
    }

    /// <summary>An object type whose fields read only the object itself (resolved without a field context).</summary>
    public static ObjectGraphType SourceObject(string name, string description, params (string Name, IGraphType Type, Func<object, object?> Read)[] fields)
    {
        var type = new ObjectGraphType { Name = name, Description = description };
        foreach (var (fieldName, fieldType, read) in fields)
        {
            type.AddField(new FieldType { Name = fieldName, ResolvedType = fieldType, Resolver = Execution.Resolve.FromSource(read) });
        }

        return type;
    }

    public static InputObjectGraphType Input(string name, string description, params (string Name, IGraphType Type)[] fields)
    {
        var type = new InputObjectGraphType { Name = name, Description = description };
        foreach (var (fieldName, fieldType) in fields)
        {
            type.AddField(new FieldType { Name = fieldName, ResolvedType = fieldType });
        }

        return type;
    }
}

/// <summary>What a PageInfo reads.</summary>
public interface IPageInfo
{
    bool HasNextPage { get; }

    bool HasPreviousPage { get; }

    string? StartCursor { get; }

    string? EndCursor { get; }
}
