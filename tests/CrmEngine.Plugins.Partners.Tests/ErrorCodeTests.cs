using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using CrmEngine.Engine.Errors;

namespace CrmEngine.Plugins.Partners.Tests;

/// <summary>Every code the partners plugin refuses with is the engine's or declared in its manifest, and every declared code is used.</summary>
public sealed class ErrorCodeTests
{
    [Fact]
    public void Every_code_the_partners_plugin_refuses_with_is_the_engines_or_declared_in_its_manifest()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "plugins", "CrmEngine.Plugins.Partners");
        var declared = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "plugin.json")))!["errorCodes"]!.AsObject().Select(p => p.Key).ToHashSet();
        var context = new AssemblyLoadContext("partners-codes", isCollectible: true);
        try
        {
            var codes = context.LoadFromAssemblyPath(Path.Combine(folder, "CrmEngine.Plugins.Partners.dll"))
                .GetType("CrmEngine.Plugins.Partners.Common.PartnerErrors", throwOnError: true)!
                .GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => (string)f.GetRawConstantValue()!)
                .ToList();

            Assert.Contains("PARTNER_DEAL_PROTECTED", codes);
            Assert.Equal([], codes.Where(c => !ErrorCodes.All.Contains(c) && !declared.Contains(c)));
            Assert.Equal([], declared.Where(c => !codes.Contains(c)));
        }
        finally
        {
            context.Unload();
        }
    }
}
