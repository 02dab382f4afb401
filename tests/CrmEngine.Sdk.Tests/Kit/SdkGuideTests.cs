using System.Text.RegularExpressions;
using CrmEngine.Host.Tests.Support;
using CrmEngine.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CrmEngine.Sdk.Tests.Kit;

/// <summary>
/// The ISV guide's C# compiles as written: every <c>```csharp</c> block of sdk/README.md, together,
/// against the SDK, the testing kit and xUnit, with the implicit usings of a plugin project. Blocks
/// marked <c>```csharp fragment</c> are deliberately partial and left out.
/// </summary>
[Trait(StoreTraits.Name, StoreTraits.Independent)]
public sealed partial class SdkGuideTests
{
    private const string ImplicitUsings = "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";

    [GeneratedRegex(@"^```csharp(?<fragment>[ \t]+fragment)?[ \t]*\n(?<body>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex CSharpBlock();

    [Fact]
    public void Every_csharp_block_of_the_sdk_guide_compiles_as_written()
    {
        var guide = DocExamplesText("sdk/README.md");
        var blocks = CSharpBlock().Matches(guide).Where(m => !m.Groups["fragment"].Success).Select(m => m.Groups["body"].Value).ToList();
        Assert.True(blocks.Count >= 5, $"Expected the C# blocks of sdk/README.md, found {blocks.Count}.");

        var errors = Compile(blocks);

        Assert.True(errors.Count == 0, "sdk/README.md's C# doesn't compile:\n" + string.Join('\n', errors));
    }

    [Fact]
    public void A_block_that_does_not_compile_is_reported()
    {
        // The check above can fail: a block missing a using is an error.
        var errors = Compile(["public sealed class Plugin : ICrmPlugin { public void Configure(IPluginBuilder builder) { } }"]);

        Assert.Contains(errors, e => e.Contains("CS0246", StringComparison.Ordinal));
    }

    private static List<string> Compile(IReadOnlyList<string> blocks)
    {
        var trees = blocks.Select((body, i) => CSharpSyntaxTree.ParseText(body, new CSharpParseOptions(LanguageVersion.Latest), path: $"block{i + 1}.cs"))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, new CSharpParseOptions(LanguageVersion.Latest), path: "implicit-usings.cs"));
        var compilation = CSharpCompilation.Create("SdkGuide", trees, References(), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var output = new MemoryStream();
        var emitted = compilation.Emit(output);
        return emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
    }

    private static string DocExamplesText(string path) => File.ReadAllText(Path.Combine(Repository.Root, path)).ReplaceLineEndings("\n");

    /// <summary>The runtime's assemblies and this test's (the SDK, the kit, xUnit, the logging abstractions).</summary>
    private static List<MetadataReference> References()
    {
        var runtime = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var local = Directory.GetFiles(AppContext.BaseDirectory, "*.dll");
        return runtime.Concat(local)
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First())
            .Where(IsManaged)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
    }

    private static bool IsManaged(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
