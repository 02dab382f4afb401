using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Schema;
using CrmEngine.GraphQL.Types;
using CrmEngine.PluginHost.Adapters;
using CrmEngine.PluginHost.Failures;
using CrmEngine.PluginHost.Tenants;
using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Notifications;
using CrmEngine.Sdk.Operations;
using CrmEngine.Sdk.Records;
using CrmEngine.Sdk.Settings;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmEngine.PluginHost.Schema;

/// <summary>
/// Adds the operations of the plugins a tenant enables to its schema. A plugin mutation runs in
/// one transaction: everything it writes commits together, or nothing does (an
/// <see cref="OperationException"/> becomes a userError with its code and field, when the plugin may
/// use that code: <see cref="PluginFailures.Refused"/>; any other exception is reported by
/// <see cref="PluginFailures"/> and becomes PLUGIN_ERROR with the plugin and a correlation id).
/// </summary>
internal sealed class PluginOperationsContributor(
    PluginEnabler enabler,
    RecordApiFactory records,
    OutboxSignal outbox,
    PluginFailures failures,
    PluginServing serving,
    IOptions<CrmEngineOptions> options,
    ILogger<PluginOperationsContributor> logger) : ISchemaContributor
{
    public int Order => 40;

    public void Contribute(SchemaBuildContext context)
    {
        var mapper = new PluginTypeMapper(context);
        foreach (var enabled in context.Metadata.Plugins)
        {
            foreach (var operation in enabler.OperationsOf(enabled.Id))
            {
                try
                {
                    Add(context, mapper, enabled.Id, operation);
                }
                catch (Exception e) when (e is CrmException or ArgumentException)
                {
                    // One bad operation must not take the tenant's whole API down.
                    logger.LogError("Operation {Operation} of plugin {Plugin} is left out of tenant schemas: {Reason}", operation.Name, enabled.Id, e.Message);
                }
            }
        }
    }

    private void Add(SchemaBuildContext context, PluginTypeMapper mapper, string pluginId, IPluginOperation operation)
    {
        var arguments = new QueryArguments(operation.Arguments.Select(a => new QueryArgument(mapper.Map(a.Type)) { Name = a.Name, Description = a.Description }));
        // A refused mutation has no result, so a mutation payload's result is nullable even when the
        // operation declares it non-null (which still documents what success returns).
        var result = mapper.Map(operation.Kind == OperationKind.Mutation && operation.Result is TypeRef.NonNullType nonNull ? nonNull.Inner : operation.Result);
        if (operation.Kind == OperationKind.Query)
        {
            context.Query.AddField(new FieldType
            {
                Name = operation.Name,
                Description = $"{operation.Description} (plugin {pluginId})",
                ResolvedType = result,
                Arguments = arguments,
                Resolver = Resolve.Async(async (c, crm) =>
                {
                    if (serving.Refusal(crm.Session.TenantId, crm.Session.Metadata, pluginId) is { } refusal)
                    {
                        throw new ExecutionError(refusal.Message) { Code = refusal.Code };
                    }

                    try
                    {
                        return PluginTypeMapper.Value(operation.Result, await operation.ExecuteAsync(Context(c, crm.Session, pluginId), c.CancellationToken));
                    }
                    catch (OperationException e)
                    {
                        var error = failures.Refused(pluginId, $"in {operation.Name}", crm.Session.TenantId, e);
                        throw new ExecutionError(error.Message) { Code = error.Code };
                    }
                    catch (Exception e) when (e is not ExecutionError && PluginFailures.IsFailure(e))
                    {
                        throw Failed(crm.Session, pluginId, operation, e, null).ToExecutionError();
                    }
                }),
            });
            return;
        }

        var payload = new ObjectGraphType { Name = Engine.Metadata.ApiNames.Payload(operation.Name) };
        payload.AddField(new FieldType { Name = "result", ResolvedType = result, Resolver = Resolve.Sync(c => ((Outcome)c.Source!).Result) });
        payload.AddField(new FieldType { Name = "userErrors", ResolvedType = context.Types.UserErrors, Resolver = Resolve.Sync(c => ((Outcome)c.Source!).Errors) });
        context.Mutation.AddField(new FieldType
        {
            Name = operation.Name,
            Description = $"{operation.Description} (plugin {pluginId})",
            ResolvedType = SharedTypes.NonNull(payload),
            Arguments = arguments,
            Resolver = Resolve.Async(async (c, crm) => await RunMutationAsync(c, crm.Session, pluginId, operation)),
        });
    }

    private async Task<Outcome> RunMutationAsync(IResolveFieldContext c, CrmSession session, string pluginId, IPluginOperation operation)
    {
        if (serving.Refusal(session.TenantId, session.Metadata, pluginId) is { } refusal)
        {
            return new Outcome(null, [refusal]);
        }

        WriteScope scope;
        try
        {
            scope = await WriteScope.BeginAsync(session, "operation:" + operation.Name, null, options.Value.MaxCascadeDepth, c.CancellationToken);
        }
        catch (CrmException e)
        {
            return new Outcome(null, e.Errors);
        }

        await using (scope)
        {
            scope.Activate();
            try
            {
                var value = await operation.ExecuteAsync(Context(c, session, pluginId), c.CancellationToken);
                await scope.CompleteAsync(c.CancellationToken);
                outbox.Notify(session.TenantId);
                return new Outcome(PluginTypeMapper.Value(operation.Result, value), []);
            }
            catch (OperationException e)
            {
                return new Outcome(null, [failures.Refused(pluginId, $"in {operation.Name}", session.TenantId, e, "Nothing was written.")]);
            }
            catch (CrmException e)
            {
                return new Outcome(null, e.Errors);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return new Outcome(null, [Failed(session, pluginId, operation, e, "Nothing was written.").Error()]);
            }
        }
    }

    private PluginFailure Failed(CrmSession session, string pluginId, IPluginOperation operation, Exception e, string? consequence) =>
        failures.Report(pluginId, $"in {operation.Name}", session.TenantId, e, consequence);

    private OperationContext Context(IResolveFieldContext c, CrmSession session, string pluginId) =>
        new(SdkMapping.ToSdk(session.Principal), records.For(session), c.Arguments?.ToDictionary(a => a.Key, a => a.Value.Value) ?? [], session, records, pluginId);

    private sealed record OperationContext(ICrmIdentity Identity, IRecordApi Records, IReadOnlyDictionary<string, object?> Arguments, CrmSession Session, RecordApiFactory Factory, string PluginId) : IOperationContext
    {
        public IPluginSettings Settings => field ??= Factory.Settings(Session, PluginId);

        public IRecordApi PrivilegedRecords => field ??= Factory.Privileged(Session);

        public IUserDirectory Directory => field ??= Factory.Directory(Session);

        public INotifier Notifications => field ??= Factory.Notifier(Session);

        public Sdk.Approvals.IApprovals Approvals => field ??= Factory.Approvals(Session);
        public Sdk.Messaging.IMessaging Messaging => field ??= Factory.Messaging(Session);

        public Sdk.Documents.IDocuments Documents => field ??= Factory.Documents(Session);

        public Guid RecordId(string argument, string entity) => PluginTypeMapper.ReadId(Arguments.GetValueOrDefault(argument), entity, argument);

        public Guid UserId(string argument) => PluginTypeMapper.ReadId(Arguments.GetValueOrDefault(argument), GlobalId.UserType, argument);
    }

    private sealed record Outcome(object? Result, IReadOnlyList<CrmError> Errors);
}
