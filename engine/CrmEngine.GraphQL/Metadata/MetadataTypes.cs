using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Engine.Storage;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Types;
using GraphQL;
using GraphQL.Types;
using CrmFieldType = CrmEngine.Sdk.Metadata.FieldType;

namespace CrmEngine.GraphQL.Metadata;

/// <summary>The graph types that describe metadata: entities, fields, options, and the inputs that change them.</summary>
public sealed class MetadataTypes
{
    public MetadataTypes(SharedTypes types)
    {
        var nonNullString = SharedTypes.NonNull(types.String);
        var labels = SharedTypes.ListOf(types.LocalizedLabelInput);

        PicklistOptionType = new ObjectGraphType { Name = "PicklistOption", Description = "A choice of a picklist field." };
        Add(PicklistOptionType, "value", nonNullString, o => ((PicklistOption)o).Value, "What records store and the API reads and writes.");
        types.AddLabels(PicklistOptionType, "label", o => ((PicklistOption)o).Labels);
        Add(PicklistOptionType, "color", types.String, o => ((PicklistOption)o).Color);
        Add(PicklistOptionType, "order", SharedTypes.NonNull(types.Int), o => ((PicklistOption)o).Order);
        Add(PicklistOptionType, "active", SharedTypes.NonNull(types.Boolean), o => ((PicklistOption)o).Active, "Inactive options stay valid in existing records but can't be chosen anew.");

        FieldDefinitionType = new ObjectGraphType { Name = "FieldDefinition", Description = "A field of an entity." };
        Add(FieldDefinitionType, "name", nonNullString, f => F(f).Name);
        Add(FieldDefinitionType, "type", SharedTypes.NonNull(FieldTypeEnum), f => F(f).Type);
        types.AddLabels(FieldDefinitionType, "label", f => F(f).Labels);
        types.AddLabels(FieldDefinitionType, "description", f => F(f).Descriptions, required: false);
        Add(FieldDefinitionType, "required", SharedTypes.NonNull(types.Boolean), f => F(f).Required);
        Add(FieldDefinitionType, "unique", SharedTypes.NonNull(types.Boolean), f => F(f).Unique);
        Add(FieldDefinitionType, "indexed", SharedTypes.NonNull(types.Boolean), f => F(f).Indexed || F(f).Unique || F(f).Type == CrmFieldType.Lookup);
        Add(FieldDefinitionType, "searchable", SharedTypes.NonNull(types.Boolean), f => F(f).Searchable);
        Add(FieldDefinitionType, "defaultValue", types.String, f => F(f).DefaultValue);
        Add(FieldDefinitionType, "maxLength", types.Int, f => F(f).MaxLength ?? (Engine.Fields.FieldKinds.For(F(f).Type) as Engine.Fields.TextKindBase)?.DefaultMaxLength);
        Add(FieldDefinitionType, "min", types.Decimal, f => F(f).Min);
        Add(FieldDefinitionType, "max", types.Decimal, f => F(f).Max);
        Add(FieldDefinitionType, "pattern", types.String, f => F(f).Pattern);
        Add(FieldDefinitionType, "scale", types.Int, f => F(f).Scale);
        Add(FieldDefinitionType, "currency", types.String, f => F(f).Currency);
        Add(FieldDefinitionType, "options", SharedTypes.ListOf(PicklistOptionType), f => F(f).Options?.OrderBy(o => o.Order).ToList());
        Add(FieldDefinitionType, "lookupEntity", types.String, f => F(f).LookupEntity);
        Add(FieldDefinitionType, "inverseName", types.String, f => F(f).InverseName);
        Add(FieldDefinitionType, "autoNumberFormat", types.String, f => F(f).AutoNumberFormat);
        RollupDefinitionType = new ObjectGraphType { Name = "RollupDefinition", Description = "What a rollup field computes over the records pointing at its record." };
        Add(RollupDefinitionType, "function", SharedTypes.NonNull(RollupFunctionEnum), r => ((RollupDefinition)r).Function);
        Add(RollupDefinitionType, "entity", nonNullString, r => ((RollupDefinition)r).Entity, "The child entity.");
        Add(RollupDefinitionType, "lookup", nonNullString, r => ((RollupDefinition)r).Lookup, "The child's lookup to this entity.");
        Add(RollupDefinitionType, "field", types.String, r => ((RollupDefinition)r).Field, "The child field aggregated; null for COUNT.");
        Add(RollupDefinitionType, "filter", types.Json, r => RuleFilterReader.Parse(((RollupDefinition)r).Filter), "Which children count, in the list queries' where shape.");
        Add(RollupDefinitionType, "resultType", SharedTypes.NonNull(FieldTypeEnum), r => ((RollupDefinition)r).ResultType, "The type of the values: INTEGER, DECIMAL, DATE or DATE_TIME.");
        Add(FieldDefinitionType, "rollup", RollupDefinitionType, f => F(f).Rollup);
        FormulaDefinitionType = new ObjectGraphType { Name = "FormulaDefinition", Description = "What a formula field computes from its record's fields and, one lookup away, the fields of the records it points at." };
        Add(FormulaDefinitionType, "expression", nonNullString, r => ((FormulaDefinition)r).Expression);
        Add(FormulaDefinitionType, "resultType", SharedTypes.NonNull(FieldTypeEnum), r => ((FormulaDefinition)r).ResultType, "The type of the values, inferred from the expression: INTEGER, DECIMAL, TEXT, BOOLEAN, DATE or DATE_TIME.");
        Add(FieldDefinitionType, "formula", FormulaDefinitionType, f => F(f).Formula);
        Add(FieldDefinitionType, "state", SharedTypes.NonNull(StateEnum), f => F(f).State);
        Add(FieldDefinitionType, "removedAt", types.DateTime, f => F(f).RemovedAt);
        Add(FieldDefinitionType, "source", nonNullString, f => F(f).Source, "\"custom\" for admin-defined fields, else the plugin that declared it.");

        EntityDefinitionType = new ObjectGraphType { Name = "EntityDefinition", Description = "An entity: a kind of record, with its own table and API." };
        Add(EntityDefinitionType, "name", nonNullString, e => E(e).Name);
        Add(EntityDefinitionType, "pluralName", nonNullString, e => E(e).PluralName);
        Add(EntityDefinitionType, "typeName", nonNullString, e => E(e).TypeName, "The GraphQL type of its records.");
        types.AddLabels(EntityDefinitionType, "label", e => E(e).Labels);
        types.AddLabels(EntityDefinitionType, "pluralLabel", e => E(e).PluralLabels ?? E(e).Labels);
        types.AddLabels(EntityDefinitionType, "description", e => E(e).Descriptions, required: false);
        Add(EntityDefinitionType, "state", SharedTypes.NonNull(StateEnum), e => E(e).State);
        Add(EntityDefinitionType, "removedAt", types.DateTime, e => E(e).RemovedAt);
        Add(EntityDefinitionType, "source", nonNullString, e => E(e).Source);
        EntityDefinitionType.AddField(new FieldType
        {
            Name = "indexes",
            Description = "Composite indexes, each a list of field names (the id is appended in the database).",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(SharedTypes.ListOf(types.String))),
            Resolver = Resolve.Sync(c => E(c.Source!).Indexes.Select(i => i.Fields).ToList()),
        });
        EntityDefinitionType.AddField(new FieldType
        {
            Name = "fields",
            ResolvedType = SharedTypes.NonNull(SharedTypes.ListOf(FieldDefinitionType)),
            Arguments = new QueryArguments(new QueryArgument(types.Boolean) { Name = "includeRemoved", DefaultValue = false }),
            Resolver = Resolve.Sync(c => c.GetArgument<bool>("includeRemoved") ? E(c.Source!).Fields : E(c.Source!).ActiveFields.ToList()),
        });
        EntityDefinitionType.AddField(new FieldType
        {
            Name = "field",
            ResolvedType = FieldDefinitionType,
            Arguments = new QueryArguments(new QueryArgument(nonNullString) { Name = "name" }),
            Resolver = Resolve.Sync(c => E(c.Source!).FindAnyField(c.GetArgument<string>("name"))),
        });

        MetadataChangeType = new ObjectGraphType { Name = "MetadataChange", Description = "One metadata version: what changed, who changed it, when." };
        Add(MetadataChangeType, "version", SharedTypes.NonNull(types.Int), m => (int)((MetadataChangeRow)m).Version);
        Add(MetadataChangeType, "at", SharedTypes.NonNull(types.DateTime), m => DateTime.SpecifyKind(((MetadataChangeRow)m).At, DateTimeKind.Utc));
        Add(MetadataChangeType, "actor", types.Id, m => ((MetadataChangeRow)m).Actor is { } a ? GlobalId.Encode(GlobalId.UserType, a) : null);
        Add(MetadataChangeType, "summary", nonNullString, m => ((MetadataChangeRow)m).Summary);

        PicklistOptionInput = SharedTypes.Input("PicklistOptionInput", "A picklist choice.",
            ("value", nonNullString), ("labels", SharedTypes.NonNull(labels)), ("color", types.String), ("order", types.Int), ("active", types.Boolean));
        RollupInput = SharedTypes.Input("RollupInput", "What a ROLLUP field computes: a function over the live records of entity whose lookup points at the record, optionally only those matching filter (the list queries' where shape, on the child's own fields, no relative dates).",
            ("function", SharedTypes.NonNull(RollupFunctionEnum)), ("entity", nonNullString), ("lookup", nonNullString), ("field", types.String), ("filter", types.Json));
        FormulaInput = SharedTypes.Input("FormulaInput", "What a FORMULA field computes: an expression over the record's fields and lookup.field, with arithmetic, comparisons, AND/OR/NOT and the functions of docs/formulas-and-rollups.md; its result type is inferred.",
            ("expression", nonNullString));
        var fieldSettings = new (string, IGraphType)[]
        {
            ("descriptions", labels), ("required", types.Boolean), ("unique", types.Boolean), ("indexed", types.Boolean), ("searchable", types.Boolean),
            ("defaultValue", types.String), ("maxLength", types.Int), ("min", types.Decimal), ("max", types.Decimal), ("pattern", types.String),
            ("scale", types.Int), ("currency", types.String), ("options", SharedTypes.ListOf(PicklistOptionInput)), ("inverseName", types.String),
            ("inverseLabels", labels), ("autoNumberFormat", types.String),
        };
        FieldInput = SharedTypes.Input("FieldInput", "A new field. Labels need at least en and zh-CN.",
            [("name", nonNullString), ("type", SharedTypes.NonNull(FieldTypeEnum)), ("labels", SharedTypes.NonNull(labels)), ("lookupEntity", types.String), ("rollup", RollupInput), ("formula", FormulaInput), .. fieldSettings]);
        UpdateFieldInput = SharedTypes.Input("UpdateFieldInput", "Changes to a field; only what is given changes. Labels merge by locale.",
            [("type", FieldTypeEnum), ("labels", labels), .. fieldSettings]);
        CreateEntityInput = SharedTypes.Input("CreateEntityInput", "A new entity. Labels need at least en and zh-CN.",
            ("name", nonNullString), ("pluralName", types.String), ("labels", SharedTypes.NonNull(labels)), ("pluralLabels", labels),
            ("descriptions", labels), ("fields", SharedTypes.ListOf(FieldInput)), ("indexes", IndexList(types)));
        UpdateEntityInput = SharedTypes.Input("UpdateEntityInput", "Changes to an entity's labels (they merge by locale) or its composite indexes (the list is replaced).",
            ("labels", labels), ("pluralLabels", labels), ("descriptions", labels), ("indexes", IndexList(types)));

        EntityPayload = new ObjectGraphType { Name = "EntityPayload" };
        Add(EntityPayload, "entity", EntityDefinitionType, p => ((MetadataOutcome)p).Entity);
        Add(EntityPayload, "metadataVersion", SharedTypes.NonNull(types.Int), p => (int)((MetadataOutcome)p).Version);
        Add(EntityPayload, "userErrors", types.UserErrors, p => ((MetadataOutcome)p).Errors);
        FieldPayload = new ObjectGraphType { Name = "FieldPayload" };
        Add(FieldPayload, "entity", EntityDefinitionType, p => ((MetadataOutcome)p).Entity);
        Add(FieldPayload, "field", FieldDefinitionType, p => ((MetadataOutcome)p).Field);
        Add(FieldPayload, "metadataVersion", SharedTypes.NonNull(types.Int), p => (int)((MetadataOutcome)p).Version);
        Add(FieldPayload, "userErrors", types.UserErrors, p => ((MetadataOutcome)p).Errors);
    }

    public EnumerationGraphType<CrmFieldType> FieldTypeEnum { get; } = new() { Name = "FieldType", Description = "The kinds of field." };

    public EnumerationGraphType<RollupFunction> RollupFunctionEnum { get; } = new() { Name = "RollupFunction", Description = "What a rollup computes over the records pointing at its record." };

    public ObjectGraphType RollupDefinitionType { get; }

    public InputObjectGraphType RollupInput { get; }

    public ObjectGraphType FormulaDefinitionType { get; }

    public InputObjectGraphType FormulaInput { get; }

    public EnumerationGraphType<DefinitionState> StateEnum { get; } = new() { Name = "DefinitionState", Description = "Removed definitions keep their data until purged." };

    public ObjectGraphType PicklistOptionType { get; }

    public ObjectGraphType FieldDefinitionType { get; }

    public ObjectGraphType EntityDefinitionType { get; }

    public ObjectGraphType MetadataChangeType { get; }

    public InputObjectGraphType PicklistOptionInput { get; }

    public InputObjectGraphType FieldInput { get; }

    public InputObjectGraphType UpdateFieldInput { get; }

    public InputObjectGraphType CreateEntityInput { get; }

    public InputObjectGraphType UpdateEntityInput { get; }

    public ObjectGraphType EntityPayload { get; }

    public ObjectGraphType FieldPayload { get; }

    private static FieldDefinition F(object source) => (FieldDefinition)source;

    private static EntityDefinition E(object source) => (EntityDefinition)source;

    private static void Add(ObjectGraphType type, string name, IGraphType graphType, Func<object, object?> value, string? description = null) =>
        type.AddField(new FieldType { Name = name, ResolvedType = graphType, Description = description, Resolver = Resolve.Sync(c => value(c.Source!)) });

    /// <summary>Composite indexes: lists of field names, such as [["status", "lastContactedAt"]].</summary>
    private static ListGraphType IndexList(SharedTypes types) => SharedTypes.ListOf(SharedTypes.ListOf(types.String));
}

/// <summary>What a metadata mutation's payload shows.</summary>
public sealed record MetadataOutcome(EntityDefinition? Entity, FieldDefinition? Field, long Version, IReadOnlyList<Engine.Errors.CrmError> Errors);
