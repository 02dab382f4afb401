using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using CrmEngine.Engine.Errors;

namespace CrmEngine.Plugins.Marketing.Tests;

/// <summary>
/// The marketing plugin declares its error codes, so the host passes its refusals on (and would turn
/// a code it forgot into PLUGIN_ERROR): every code in MarketingErrors is the engine's or declared.
/// </summary>
public sealed class ErrorCodeTests
{
    [Fact]
    public void Every_code_the_marketing_plugin_refuses_with_is_the_engines_or_declared_in_its_manifest()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "plugins", "CrmEngine.Plugins.Marketing");
        var declared = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "plugin.json")))!["errorCodes"]!.AsObject().Select(p => p.Key).ToHashSet();
        var context = new AssemblyLoadContext("marketing-codes", isCollectible: true);
        try
        {
            var codes = context.LoadFromAssemblyPath(Path.Combine(folder, "CrmEngine.Plugins.Marketing.dll"))
                .GetType("CrmEngine.Plugins.Marketing.Common.MarketingErrors", throwOnError: true)!
                .GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => (string)f.GetRawConstantValue()!)
                .ToList();

            Assert.Contains("MKT_BUDGET_EXCEEDED", codes);
            Assert.Equal([], codes.Where(c => !ErrorCodes.All.Contains(c) && !declared.Contains(c)));
            Assert.Equal([], declared.Where(c => !codes.Contains(c)));
        }
        finally
        {
            context.Unload();
        }
    }
}
