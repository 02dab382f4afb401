using CrmEngine.Engine;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Records.Querying;
using CrmEngine.Rules.Functions;
using Jint;
using JsEngine = Jint.Engine;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;
using CrmFieldType = CrmEngine.Sdk.Metadata.FieldType;

namespace CrmEngine.Rules.Scripting;

/// <summary>
/// The <c>crm</c> object of one run. Reads and writes go through <see cref="RecordReader"/> and
/// <see cref="RecordPipeline"/> as the tenant's system identity; inside an open write (before-rules,
/// and the transaction every other run gets) they join it. Refusals reach the script as Errors with
/// <c>code</c>, <c>field</c> and <c>errors</c>, which it may catch.
/// </summary>
internal sealed class CrmApi
{
    private const int MaxLineLength = 2000;
    private const int MaxMessageLength = 2000;

    private readonly JsEngine _engine;
    private readonly RuleRunRequest _request;
    private readonly RuleServices _services;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<ObjectInstance, CrmError> _thrown = new(ReferenceEqualityComparer.Instance);
    private readonly DateTime _now;
    private readonly JsValue _stringify;

    public CrmApi(JsEngine engine, RuleRunRequest request, RuleServices services, CancellationToken cancellationToken)
    {
        _engine = engine;
        _request = request;
        _services = services;
        _now = services.Time.UtcNow();
        _cancellationToken = cancellationToken;
        // Records the script gives to whoever triggered the run (the default for crm.create) may be theirs
        // even when that is no user of the directory (an integration's key).
        RuleSession = new CrmSession(request.Session.Store, CrmPrincipal.System(request.Session.TenantId)) { OnBehalfOf = request.Session.Principal.UserId };
        _stringify = engine.Global.Get("JSON").Get("stringify");
        Value = Build();
    }

    public ObjectInstance Value { get; }

    /// <summary>Who the script's reads and writes act as.</summary>
    public CrmSession RuleSession { get; }

    public List<string> Logs { get; } = [];

    public List<CrmError> Rejections { get; } = [];

    public List<RuleEffect> Effects { get; } = [];

    /// <summary>The engine error behind an Error this API threw, when the script let it escape.</summary>
    public CrmError? ErrorBehind(JsValue thrown) => thrown is ObjectInstance obj && _thrown.TryGetValue(obj, out var error) ? error : null;

    private JsObject Build()
    {
        var crm = new JsObject(_engine);
        Define(crm, "find", 3, Find);
        Define(crm, "get", 2, Get);
        Define(crm, "create", 2, Create);
        Define(crm, "update", 3, Update);
        Define(crm, "delete", 2, Delete);
        Define(crm, "assign", 3, Assign);
        Define(crm, "reject", 2, Reject);
        Define(crm, "notify", 2, Notify);
        Define(crm, "log", 0, Log);
        Define(crm, "now", 0, (_, _) => JsConvert.ToJs(_engine, _now));
        crm.FastSetProperty("plugins", new PropertyDescriptor(Plugins(), writable: false, enumerable: true, configurable: false));
        crm.PreventExtensions();
        return crm;
    }

    private JsValue Find(JsValue self, JsValue[] args)
    {
        var entity = EntityArg(args, 0, "crm.find");
        var filter = RuleFilterReader.Read(entity, JsConvert.ToClr(_engine, Arg(args, 1)));
        var options = JsConvert.ToClr(_engine, Arg(args, 2)) as IReadOnlyDictionary<string, object?>;
        var first = options?.GetValueOrDefault("first") is long n ? (int)Math.Clamp(n, 0, _services.MaxPageSize) : Math.Min(100, _services.MaxPageSize);
        var deleted = options?.GetValueOrDefault("includeDeleted") is true ? DeletedRecords.Include : DeletedRecords.Exclude;
        var page = Wait(_services.Reader.ListAsync(RuleSession, new RecordQuery(entity.Name) { Filter = filter, First = first, Deleted = deleted }, _cancellationToken));
        return new JsArray(_engine, page.Edges.Select(e => RecordObject.Plain(_engine, RecordSnapshot.ValuesOf(e.Record))).ToArray());
    }

    private JsValue Get(JsValue self, JsValue[] args)
    {
        var entity = EntityArg(args, 0, "crm.get");
        var record = Wait(_services.Reader.GetAsync(RuleSession, entity.Name, IdArg(args, 1, entity.Name), includeDeleted: false, _cancellationToken));
        return record is null ? JsValue.Null : RecordObject.Plain(_engine, RecordSnapshot.ValuesOf(record));
    }

    private JsValue Create(JsValue self, JsValue[] args)
    {
        var entity = EntityArg(args, 0, "crm.create");
        var values = ValuesArg(entity, args, 1);
        if (!values.ContainsKey(SystemFields.OwnerId) && _request.Session.Principal.UserId != CrmPrincipal.SystemUserId)
        {
            // Records a rule creates belong to whoever triggered it, not to the system identity.
            values[SystemFields.OwnerId] = _request.Session.Principal.UserId;
        }

        var result = Wait(_services.Pipeline.CreateAsync(RuleSession, entity.Name, values, _cancellationToken));
        return Written("create", entity, result, values);
    }

    private JsValue Update(JsValue self, JsValue[] args)
    {
        var entity = EntityArg(args, 0, "crm.update");
        var id = IdArg(args, 1, entity.Name);
        var values = ValuesArg(entity, args, 2);
        var result = Wait(_services.Pipeline.UpdateAsync(RuleSession, entity.Name, id, null, values, _cancellationToken));
        return Written("update", entity, result, values);
    }

    private JsValue Delete(JsValue self, JsValue[] args)
    {
        var entity = EntityArg(args, 0, "crm.delete");
        var id = IdArg(args, 1, entity.Name);
        var result = Wait(_services.Pipeline.DeleteAsync(RuleSession, entity.Name, id, null, _cancellationToken));
        Written("delete", entity, result, null);
        return JsBoolean.True;
    }

    private JsValue Assign(JsValue self, JsValue[] args)
    {
        var entity = EntityArg(args, 0, "crm.assign");
        var id = IdArg(args, 1, entity.Name);
        var owner = UserArg(args, 2, "crm.assign");
        var values = new Dictionary<string, object?> { [SystemFields.OwnerId] = owner };
        var result = Wait(_services.Pipeline.UpdateAsync(RuleSession, entity.Name, id, null, values, _cancellationToken));
        return Written("assign", entity, result, values);
    }

    private JsValue Reject(JsValue self, JsValue[] args)
    {
        var message = Text(Arg(args, 0), MaxMessageLength);
        if (string.IsNullOrWhiteSpace(message))
        {
            throw TypeError("crm.reject needs a message.");
        }

        var field = Arg(args, 1) is { } f && !f.IsNull() && !f.IsUndefined() ? TypeConverter.ToString(f) : null;
        Rejections.Add(new CrmError(ErrorCodes.Rejected, message, field));
        return JsValue.Undefined;
    }

    private JsValue Notify(JsValue self, JsValue[] args)
    {
        var user = UserArg(args, 0, "crm.notify");
        var message = Text(Arg(args, 1), MaxMessageLength);
        if (string.IsNullOrWhiteSpace(message))
        {
            throw TypeError("crm.notify needs a message.");
        }

        Wait(_services.Notifications.AddAsync(RuleSession, user, message, _request.Rule.Name, _request.Entity.Name, _request.Record.Id, _cancellationToken));
        Effects.Add(new RuleEffect("notify", _request.Entity.Name, _request.Record.Id, null, user, message));
        return JsValue.Undefined;
    }

    private JsValue Log(JsValue self, JsValue[] args)
    {
        if (Logs.Count > _request.Limits.MaxLogLines)
        {
            return JsValue.Undefined;
        }

        if (Logs.Count == _request.Limits.MaxLogLines)
        {
            Logs.Add($"(more lines were left out: a run keeps {_request.Limits.MaxLogLines})");
            return JsValue.Undefined;
        }

        Logs.Add(Text(string.Join(' ', args.Select(Describe)), MaxLineLength));
        return JsValue.Undefined;
    }

    private JsObject Plugins()
    {
        var plugins = new JsObject(_engine);
        foreach (var provider in _services.FunctionProviders.Where(p => p.IsAvailableTo(_request.Session)))
        {
            var functions = new JsObject(_engine);
            foreach (var function in provider.Functions)
            {
                var path = $"crm.plugins.{provider.Name}.{function.Name}";
                Define(functions, function.Name, 0, (_, args) => CallPlugin(path, function, args));
            }

            functions.PreventExtensions();
            plugins.FastSetProperty(provider.Name, new PropertyDescriptor(functions, writable: false, enumerable: true, configurable: false));
        }

        plugins.PreventExtensions();
        return plugins;
    }

    private JsValue CallPlugin(string path, RuleFunction function, JsValue[] args)
    {
        var arguments = args.Select(a => JsConvert.ToClr(_engine, a)).ToList();
        var context = new RuleFunctionContext(RuleSession, _request.Rule.Name, _request.Entity.Name, _request.Record.Id, _request.Session.Principal.UserId, _request.DryRun);
        try
        {
            return JsConvert.ToJs(_engine, Wait(function.InvokeAsync(new RuleFunctionCall(context, arguments), _cancellationToken)));
        }
        catch (CrmException e)
        {
            throw Refused(e.Errors, path);
        }
        catch (Exception e) when (e is not (OperationCanceledException or JintException or ScriptLimitException))
        {
            throw Refused([new CrmError(ErrorCodes.PluginError, $"{path} failed: {e.Message}")], path);
        }
    }

    private JsValue Written(string kind, EntityDefinition entity, WriteResult result, IReadOnlyDictionary<string, object?>? values)
    {
        if (!result.Succeeded)
        {
            throw Refused(result.Errors, $"crm.{kind}('{entity.Name}')");
        }

        var record = result.Record!;
        Effects.Add(new RuleEffect(kind, entity.Name, record.Id, values));
        return RecordObject.Plain(_engine, RecordSnapshot.ValuesOf(record));
    }

    /// <summary>Runs one engine call to completion; SQLite answers synchronously, so this rarely waits.</summary>
    private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private static void Wait(Task task) => task.GetAwaiter().GetResult();

    private void Define(ObjectInstance target, string name, int length, Func<JsValue, JsValue[], JsValue> body) =>
        target.FastSetProperty(name, new PropertyDescriptor(new ClrFunction(_engine, name, (self, args) =>
        {
            try
            {
                return body(self, args);
            }
            catch (CrmException e)
            {
                throw Refused(e.Errors, "crm." + name);
            }
        }, length, PropertyFlag.Configurable), writable: false, enumerable: true, configurable: false));

    /// <summary>A catchable Error carrying the engine's errors; remembered so an uncaught one keeps its code.</summary>
    private JavaScriptException Refused(IReadOnlyList<CrmError> errors, string call)
    {
        var first = errors.Count > 0 ? errors[0] : new CrmError(ErrorCodes.InvalidInput, "The request was refused.");
        var message = $"{call} was refused: {string.Join(" ", errors.Select(e => e.Message))}";
        var exception = new JavaScriptException(_engine.Intrinsics.Error, message);
        if (exception.Error is ObjectInstance error)
        {
            error.Set("name", "CrmError");
            error.Set("code", first.Code);
            error.Set("field", first.Field is null ? JsValue.Null : new JsString(first.Field));
            error.Set("errors", JsConvert.ToJs(_engine, errors.Select(e => new Dictionary<string, object?> { ["code"] = e.Code, ["message"] = e.Message, ["field"] = e.Field }).ToList()));
            _thrown[error] = first with { Message = message };
        }

        return exception;
    }

    private JavaScriptException TypeError(string message) => new(_engine.Intrinsics.TypeError, message);

    private static JsValue Arg(JsValue[] args, int index) => args.Length > index ? args[index] : JsValue.Undefined;

    private EntityDefinition EntityArg(JsValue[] args, int index, string call)
    {
        var name = Arg(args, index);
        if (!name.IsString())
        {
            throw TypeError($"{call} needs an entity name as its first argument, such as '{_request.Entity.Name}'.");
        }

        return RuleSession.Metadata.Find(name.AsString()) ?? throw new CrmException(ErrorCodes.UnknownEntity, $"There is no entity named '{name.AsString()}'.");
    }

    private Guid IdArg(JsValue[] args, int index, string entity)
    {
        var value = Arg(args, index);
        if (value.IsString() && GlobalId.TryRead(value.AsString(), entity, out var id))
        {
            return id;
        }

        throw TypeError($"'{Describe(value)}' is not the id of a {entity} record.");
    }

    private Guid UserArg(JsValue[] args, int index, string call)
    {
        var value = Arg(args, index);
        if (value.IsString() && GlobalId.TryRead(value.AsString(), GlobalId.UserType, out var id))
        {
            return id;
        }

        throw TypeError($"{call} needs a user id, such as record.ownerId; got '{Describe(value)}'.");
    }

    private Dictionary<string, object?> ValuesArg(EntityDefinition entity, JsValue[] args, int index)
    {
        if (JsConvert.ToClr(_engine, Arg(args, index)) is not IReadOnlyDictionary<string, object?> map)
        {
            throw TypeError("Values are an object of field names and values, such as { name: '...' }.");
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in map)
        {
            // Lookups take the target's UUID or its global id, as the API hands them out.
            values[name] = entity.FindField(name) is { Type: CrmFieldType.Lookup } lookup && value is string text && GlobalId.TryRead(text, lookup.LookupEntity!, out var target)
                ? target
                : value;
        }

        return values;
    }

    private static string Text(JsValue value, int max)
    {
        var text = value.IsUndefined() || value.IsNull() ? string.Empty : TypeConverter.ToString(value);
        return text.Length <= max ? text : text[..max] + "…";
    }

    private string Describe(JsValue value)
    {
        if (value.IsString())
        {
            return value.AsString();
        }

        if (value.IsObject() && !value.IsCallable() && value is not JsDate)
        {
            try
            {
                return _engine.Invoke(_stringify, JsValue.Undefined, [value]) is { } json && json.IsString() ? json.AsString() : TypeConverter.ToString(value);
            }
            catch (JavaScriptException)
            {
                return "[object]";
            }
        }

        return TypeConverter.ToString(value);
    }
}
