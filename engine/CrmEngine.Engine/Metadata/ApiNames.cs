namespace CrmEngine.Engine.Metadata;

/// <summary>
/// The names an entity takes in the GraphQL API (ARCHITECTURE.md, "Naming"). Kept here, beside the
/// metadata, so a definition that would produce a clashing API is refused when it is saved.
/// </summary>
public static class ApiNames
{
    /// <summary>Root fields the engine itself defines.</summary>
    public static IReadOnlySet<string> BuiltInRootFields { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "entities", "entity", "metadataVersion", "metadataChanges", "node", "nodes", "auditTrail", "search", "me",
        "plugins", "plugin", "rules", "rule", "users", "roles", "teams", "apiKeys", "notifications", "securityLog",
        "webhooks", "webhook", "webhookDeliveries",
        "messages", "messageChannels", "messageTemplates",
        "duplicateRules", "duplicateRule", "duplicateJob", "duplicateJobs", "duplicateSets",
        "file",
    };

    /// <summary>Mutation fields the engine itself defines.</summary>
    public static IReadOnlySet<string> BuiltInMutations { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "createEntity", "updateEntity", "removeEntity", "restoreEntity", "purgeEntity", "addField", "updateField", "removeField",
        "restoreField", "purgeField", "enablePlugin", "disablePlugin", "uninstallPlugin", "createUser", "updateUser", "setUserRoles", "saveTeam",
        "saveRole", "deleteRole", "createApiKey", "revokeApiKey",
        "createWebhook", "updateWebhook", "deleteWebhook", "rotateWebhookSecret", "redeliverWebhook",
        "sendMessage", "setMessageChannel", "saveMessageTemplate", "deleteMessageTemplate",
        "createDuplicateRule", "updateDuplicateRule", "deleteDuplicateRule", "startDuplicateScan", "dismissDuplicateSet",
        "uploadFile",
    };

    /// <summary>Type names the engine itself defines.</summary>
    public static IReadOnlySet<string> BuiltInTypes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Query", "Mutation", "Subscription", "Node", "PageInfo", "UserError", "Money", "MoneyInput", "EntityDefinition",
        "FieldDefinition", "LocalizedLabel", "LocalizedLabelInput", "PicklistOption", "PicklistOptionInput", "AuditEntry",
        "FieldChange", "FieldType", "DefinitionState", "MetadataChange", "Date", "DateTime", "Decimal", "Long", "UUID",
        "ID", "String", "Int", "Float", "Boolean", "JSON", "OrderDirection", "IdFilter", "StringFilter", "LongFilter",
        "DecimalFilter", "BooleanFilter", "DeletedRecords", "EntityPayload", "FieldPayload", "CreateEntityInput", "UpdateEntityInput", "FieldInput", "UpdateFieldInput", "Plugin", "PluginPayload",
        "PluginStatus", "PluginOperationInfo", "User", "Team", "Role", "ApiKey",
        "SecurityEvent", "AccessScope", "EntityGrant", "FieldGrant", "EntityGrantInput", "FieldGrantInput", "RoleInput", "Me", "UserPayload",
        "TeamPayload", "RolePayload", "DeleteRolePayload", "ApiKeyPayload", "DateFilter", "DateTimeFilter", "MoneyFilter", "MultiPicklistFilter",
        "PicklistFilter", "RelativeDateRange", "RelativePeriod", "DateBucket", "AggregateGroupOrder", "SearchHit",
        "Webhook", "WebhookDelivery", "WebhookEventKind", "WebhookDeliveryStatus", "WebhookPayload", "WebhookSecretPayload",
        "RedeliverWebhookPayload", "CreateWebhookInput", "UpdateWebhookInput",
        "Message", "MessageChannel", "MessageStatus", "MessageTlsMode", "MessageChannelSettings", "MessageTemplate", "SendMessagePayload",
        "MessageChannelPayload", "MessageTemplatePayload", "DeleteMessageTemplatePayload", "SendMessageInput", "MessageChannelInput", "MessageTemplateInput",
        "RecordChangeKind",
        "DuplicateRule", "DuplicateCondition", "DuplicateConditionInput", "DuplicateMatcher", "DuplicateRuleAction", "DuplicateAction", "DuplicateMatch",
        "DuplicateJob", "DuplicateJobStatus", "DuplicateSet", "DuplicateSetStatus", "CreateDuplicateRuleInput", "UpdateDuplicateRuleInput",
        "DuplicateRulePayload", "DuplicateJobPayload", "DuplicateSetPayload",
        "File", "Upload", "UploadFilePayload",
    };

    public static string ListField(EntityDefinition entity) => entity.PluralName;

    public static string AggregateField(EntityDefinition entity) => entity.PluralName + "Aggregate";

    /// <summary>The entity's changes feed: <c>leadChanges(since, first)</c>.</summary>
    public static string ChangesField(EntityDefinition entity) => entity.Name + "Changes";

    /// <summary>The entity's subscription: <c>leadChanged</c>, each change as it commits.</summary>
    public static string ChangedSubscription(EntityDefinition entity) => entity.Name + "Changed";

    public static IEnumerable<string> RootQueryFields(EntityDefinition entity) => [entity.Name, ListField(entity), AggregateField(entity), ChangesField(entity)];

    public static IEnumerable<string> Mutations(EntityDefinition entity) =>
        [Create(entity), Update(entity), Delete(entity), Restore(entity), CreateMany(entity), UpdateMany(entity), UpsertMany(entity)];

    public static string Create(EntityDefinition entity) => "create" + entity.TypeName;

    public static string Update(EntityDefinition entity) => "update" + entity.TypeName;

    public static string Delete(EntityDefinition entity) => "delete" + entity.TypeName;

    public static string Restore(EntityDefinition entity) => "restore" + entity.TypeName;

    /// <summary>The bulk mutations: <c>createManyLeads</c>, <c>updateManyLeads</c>, <c>upsertManyLeads</c>.</summary>
    public static string CreateMany(EntityDefinition entity) => "createMany" + Naming.ToPascalCase(entity.PluralName);

    public static string UpdateMany(EntityDefinition entity) => "updateMany" + Naming.ToPascalCase(entity.PluralName);

    public static string UpsertMany(EntityDefinition entity) => "upsertMany" + Naming.ToPascalCase(entity.PluralName);

    /// <summary>An item of updateMany: the record's id and version beside the fields to change.</summary>
    public static string UpdateManyInput(EntityDefinition entity) => Naming.ToPascalCase(UpdateMany(entity)) + "Input";

    /// <summary>What became of one item of a bulk mutation.</summary>
    public static string BulkResult(EntityDefinition entity) => entity.TypeName + "BulkResult";

    public static string Connection(EntityDefinition entity) => entity.TypeName + "Connection";

    public static string Edge(EntityDefinition entity) => entity.TypeName + "Edge";

    public static string Filter(EntityDefinition entity) => entity.TypeName + "Filter";

    public static string OrderBy(EntityDefinition entity) => entity.TypeName + "OrderBy";

    /// <summary>some / none / every over an entity's records, used by inverse lists in other entities' filters.</summary>
    public static string ListFilter(EntityDefinition entity) => entity.TypeName + "ListFilter";

    /// <summary>The aggregate query's result: totals and groups.</summary>
    public static string Aggregate(EntityDefinition entity) => entity.TypeName + "Aggregate";

    public static string AggregateGroup(EntityDefinition entity) => entity.TypeName + "AggregateGroup";

    /// <summary>The groupBy input: a field and, for dates, a bucket.</summary>
    public static string GroupBy(EntityDefinition entity) => entity.TypeName + "GroupBy";

    /// <summary>The values that identify a group.</summary>
    public static string GroupKey(EntityDefinition entity) => entity.TypeName + "GroupKey";

    /// <summary>sum and avg per numeric field.</summary>
    public static string AggregateNumbers(EntityDefinition entity) => entity.TypeName + "AggregateNumbers";

    /// <summary>min and max per orderable field.</summary>
    public static string AggregateExtremes(EntityDefinition entity) => entity.TypeName + "AggregateExtremes";

    /// <summary>countDistinct per field.</summary>
    public static string AggregateCounts(EntityDefinition entity) => entity.TypeName + "AggregateCounts";

    /// <summary>The enum of an entity's groupable fields.</summary>
    public static string FieldEnum(EntityDefinition entity) => entity.TypeName + "Field";

    /// <summary>A page of the changes feed.</summary>
    public static string ChangesPage(EntityDefinition entity) => entity.TypeName + "Changes";

    /// <summary>One entry of the changes feed: an upsert with the record, or a tombstone.</summary>
    public static string ChangeEntry(EntityDefinition entity) => entity.TypeName + "Change";

    public static string CreateInput(EntityDefinition entity) => "Create" + entity.TypeName + "Input";

    public static string UpdateInput(EntityDefinition entity) => "Update" + entity.TypeName + "Input";

    public static string Payload(string mutation) => Naming.ToPascalCase(mutation) + "Payload";

    /// <summary>Every type name the entity generates.</summary>
    public static IEnumerable<string> TypeNames(EntityDefinition entity) =>
    [
        entity.TypeName, Connection(entity), Edge(entity), Filter(entity), OrderBy(entity), CreateInput(entity), UpdateInput(entity),
        Payload(Create(entity)), Payload(Update(entity)), Payload(Delete(entity)), Payload(Restore(entity)),
        Payload(CreateMany(entity)), Payload(UpdateMany(entity)), Payload(UpsertMany(entity)), UpdateManyInput(entity), BulkResult(entity),
        ListFilter(entity), Aggregate(entity), AggregateGroup(entity), GroupBy(entity), GroupKey(entity), AggregateNumbers(entity),
        AggregateExtremes(entity), AggregateCounts(entity), FieldEnum(entity), ChangesPage(entity), ChangeEntry(entity),
    ];
}
