using System.Text.Encodings.Web;
using System.Text.Json;

namespace CrmEngine.GraphQL.Execution.Writing;

/// <summary>
/// How JSON answers are encoded, wherever they are written (executed results and the transport's
/// own errors): text as plain UTF-8, apostrophes, Chinese and &lt;&gt;&amp; included, escaping only
/// what JSON needs (quotes, backslashes, control characters). The relaxed encoder
/// is safe here because these bodies are only ever served as application/json or
/// application/graphql-response+json with nosniff, never inside HTML.
/// </summary>
public static class ResponseJson
{
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>Options for plain objects (the transport's error documents).</summary>
    public static JsonSerializerOptions Options { get; } = new() { Encoder = Encoder };
}
