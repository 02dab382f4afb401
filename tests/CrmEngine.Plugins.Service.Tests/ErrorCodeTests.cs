using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using CrmEngine.Engine.Errors;

namespace CrmEngine.Plugins.Service.Tests;

/// <summary>
/// The service plugin declares its error codes, so the host passes its refusals on (and would turn a
/// code it forgot into PLUGIN_ERROR): every code in ServiceErrors is the engine's or declared, and
/// every declared code is one the plugin uses.
/// </summary>
public sealed class ErrorCodeTests
{
    [Fact]
    public void Every_code_the_service_plugin_refuses_with_is_the_engines_or_declared_in_its_manifest()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "plugins", "CrmEngine.Plugins.Service");
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "plugin.json")))!;
        var declared = manifest["errorCodes"]!.AsObject().Select(p => p.Key).ToHashSet();
        var context = new AssemblyLoadContext("service-codes", isCollectible: true);
        try
        {
            var codes = context.LoadFromAssemblyPath(Path.Combine(folder, "CrmEngine.Plugins.Service.dll"))
                .GetType("CrmEngine.Plugins.Service.Common.ServiceErrors", throwOnError: true)!
                .GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => (string)f.GetRawConstantValue()!)
                .ToList();

            Assert.Contains("SERVICE_INVALID_TRANSITION", codes);
            Assert.Equal([], codes.Where(c => !ErrorCodes.All.Contains(c) && !declared.Contains(c)));
            Assert.Equal([], declared.Where(c => !codes.Contains(c)));
            Assert.Equal(("service", "^0.3.2", "^1.3.0"), (manifest["id"]!.GetValue<string>(), manifest["sdk"]!.GetValue<string>(), manifest["dependencies"]!["sales"]!.GetValue<string>()));
        }
        finally
        {
            context.Unload();
        }
    }
}
