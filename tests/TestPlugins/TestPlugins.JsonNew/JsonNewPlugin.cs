using CrmEngine.Sdk.Operations;
using CrmEngine.Sdk.Plugins;
using Newtonsoft.Json;

namespace TestPlugins.JsonNew;

/// <summary>Declares nothing; its operation reports which Newtonsoft.Json it runs with.</summary>
public sealed class JsonNewPlugin : ICrmPlugin
{
    /// <inheritdoc/>
    public void Configure(IPluginBuilder builder)
    {
    }
}

/// <summary>query jsonNewVersion: String! — the Newtonsoft.Json version this plugin loaded.</summary>
public sealed class JsonNewVersion : IPluginOperation
{
    /// <inheritdoc/>
    public string Name => "jsonNewVersion";

    /// <inheritdoc/>
    public OperationKind Kind => OperationKind.Query;

    /// <inheritdoc/>
    public string Description => "The Newtonsoft.Json assembly version this plugin sees.";

    /// <inheritdoc/>
    public IReadOnlyList<OperationArgument> Arguments { get; } = [];

    /// <inheritdoc/>
    public TypeRef Result => TypeRef.String.NonNull();

    /// <inheritdoc/>
    public Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(typeof(JsonConvert).Assembly.GetName().Version + " " + JsonConvert.SerializeObject(new { ok = true }));
}
