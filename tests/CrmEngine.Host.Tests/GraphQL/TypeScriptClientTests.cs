using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;

namespace CrmEngine.Host.Tests.GraphQL;

/// <summary>
/// A schema change that breaks integrators' tooling fails the build: a typed TypeScript client is
/// generated with graphql-codegen from the running host's introspection of a tenant with the sales
/// plugin, and compiled with tsc together with typed documents (a page of records, node, an
/// aggregate, a create with userErrors) and code that uses their types (tests/TypeScriptClient).
/// </summary>
[Collection(ModuleHostGroup.Name)]
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed class TypeScriptClientTests(ModuleHostFixture fixture)
{
    [NodeToolingFact]
    public async Task A_typed_client_generated_from_a_sales_tenants_introspection_compiles_with_its_documents()
    {
        Assert.True(NodeTooling.IsInstalled, NodeTooling.HowToInstall);
        using var client = await fixture.Host.NewTenantAsync();
        await client.MutateAsync("mutation { enablePlugin(id: \"sales\") { userErrors { code message } } }");
        var introspection = await client.PostAsync(IntegratorToolingTests.FullIntrospectionQuery);
        Assert.True(introspection.Errors is null, introspection.Raw);
        var folder = NodeTooling.Folder;
        Directory.CreateDirectory(Path.Combine(folder, "generated"));
        await File.WriteAllTextAsync(Path.Combine(folder, "generated", "schema.json"), introspection.Raw);

        var generate = await NodeTooling.RunAsync("node_modules/@graphql-codegen/cli/cjs/bin.js", "--config", "codegen.yml");
        Assert.True(generate.Exit == 0, $"graphql-codegen failed ({generate.Exit}):\n{generate.Output}\n{generate.Error}");
        var compile = await NodeTooling.RunAsync("node_modules/typescript/bin/tsc", "-p", "tsconfig.json");
        Assert.True(compile.Exit == 0, $"tsc failed ({compile.Exit}):\n{compile.Output}\n{compile.Error}");
    }
}

/// <summary>node and the npm packages of tests/TypeScriptClient (installed by <c>npm ci</c> there; .ci/run does it).</summary>
public static class NodeTooling
{
    public static string Folder { get; } = Path.Combine(Repository.Root, "tests", "TypeScriptClient");

    public static bool IsInstalled => OnPath("node") && Directory.Exists(Path.Combine(Folder, "node_modules", ".bin"));

    public static string HowToInstall => $"Needs node and the packages of {Folder}: run `npm ci` there (bash .ci/run does).";

    public static Task<(int Exit, string Output, string Error)> RunAsync(string script, params string[] arguments) =>
        ChildProcess.RunAsync("node", [script, .. arguments], Folder, TimeSpan.FromMinutes(3));

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, program)));
}

/// <summary>A test that needs node and tests/TypeScriptClient's packages: skipped with directions outside CI when they are missing, run (and failing) under CI.</summary>
public sealed class NodeToolingFactAttribute : FactAttribute
{
    public NodeToolingFactAttribute()
    {
        if (!NodeTooling.IsInstalled && !TestStorage.InCi)
        {
            Skip = NodeTooling.HowToInstall;
        }
    }
}
