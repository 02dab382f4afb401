using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using CrmEngine.GraphQL.Execution.Writing;
using GraphQL.SystemTextJson;

namespace CrmEngine.GraphQL.Tests.Execution;

/// <summary>The response serializer as the engine configures it (non-ASCII as is, written fragments copied).</summary>
internal static class TestJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static GraphQLSerializer Serializer { get; } = new(Options);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };
        options.Converters.Add(new JsonFragmentConverter());
        return options;
    }
}
