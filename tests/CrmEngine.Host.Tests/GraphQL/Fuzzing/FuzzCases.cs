using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CrmEngine.Host.Tests.GraphQL.Fuzzing;

/// <summary>One request the fuzzer sends, and how to tell a reader what it was.</summary>
public sealed record FuzzCase(int Number, string Kind, string Sample, Func<HttpRequestMessage> Request);

/// <summary>
/// Hostile requests for the GraphQL endpoint, drawn from a seeded generator so every run sends the
/// same ones: random bytes, broken JSON, text that is not UTF-8 or holds unpaired surrogates, huge
/// numbers, deep nesting, every field type given every wrong kind of value (as literals and as
/// variables), batches, GET requests, GraphQL token soup, and valid documents with random damage.
/// </summary>
public sealed class FuzzCases(int seed)
{
    private static readonly string[] Documents =
    [
        "mutation { testRule(input: { entity: \"project\", script: \"record.headcount = 1;\", record: { title: \"t\", n: 1 } }) { userErrors { code } } }",
        "{ projects(first: 5, filter: { status: { eq: \"planned\" } }, orderBy: [{ startsOn: DESC }]) { totalCount edges { cursor node { id title code budget { amount currency } account { name } } } pageInfo { endCursor } } }",
        "query($n: Int, $after: String) { projects(first: $n, after: $after) { nodes { id title headcount ratio notes } } }",
        "{ projectsAggregate(groupBy: [{ field: \"status\" }]) { groups { key { status } count sum { headcount } avg { ratio } } } }",
        "{ search(text: \"项目\") { entity record { id } } }",
        "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id version } userErrors { field code message } } }",
        "mutation { createProject(input: { title: \"t\", headcount: 3, ratio: 1.5, startsOn: \"2026-01-02\", budget: { amount: 10.5 } }) { project { id } userErrors { code } } }",
        "mutation($id: ID!) { updateProject(id: $id, version: 1, input: { title: \"x\" }) { userErrors { code } } }",
        "mutation($id: ID!) { deleteProject(id: $id) { userErrors { code } } }",
        "query($id: ID!) { node(id: $id) { id ... on Project { title } } nodes(ids: [$id]) { id } }",
        "{ metadataVersion entities { name fields { name type } } }",
        "{ __schema { types { name kind fields { name args { name } } } } }",
        "query Q { __type(name: \"Project\") { name fields { name type { name ofType { name } } } } } query R { metadataVersion }",
        "fragment P on Project { id title } { projects { nodes { ...P ... on Project { code } } } }",
    ];

    private static readonly string[] Tokens =
    [
        "{", "}", "(", ")", "[", "]", ":", "=", "!", "$", "@", "...", "|", "&", ",", "\"", "\"\"\"", "#", "\n", "\r", "\t", "\\",
        "query", "mutation", "subscription", "fragment", "on", "projects", "createProject", "input", "filter", "first", "id", "title",
        "$v", "@skip", "@include(if: true)", "null", "true", "1", "-0", "1e309", "9223372036854775808", "\"\\u0000\"", "\"\\ud800\"", "__schema", "__type",
    ];

    /// <summary>Field name and GraphQL input shape of every field type on the fuzzed entity.</summary>
    private static readonly string[] Fields = ["title", "notes", "headcount", "ratio", "budget", "active", "startsOn", "endsAt", "contactEmail", "phone", "site", "status", "tags", "accountId"];

    private static readonly string[] WrongLiterals =
    [
        "\"text\"", "\"\"", "123", "-9223372036854775809", "9223372036854775808", "1e400", "-1e400", "1.5", "0.000000000000000000000000000001",
        "123456789012345678901234567890.123456789", "true", "null", "[1, 2]", "[[[[]]]]", "{ a: 1 }", "{ amount: \"x\" }", "{ amount: 1e400 }",
        "{ amount: 79228162514264337593543950336 }", "\"2026-13-45\"", "\"2026-02-30T25:61:00Z\"", "\"not-an-email\"", "\"\\u0000\"", "\"🙂🙂\"",
        "\"" + new string('长', 300) + "\"", "PLANNED", "\"nosuch\"", "[\"planned\", \"nosuch\"]", "\"UHJvamVjdDox\"", "\"not a global id\"",
    ];

    private static readonly string[] WrongJsonValues =
    [
        "\"text\"", "\"\"", "123", "-9223372036854775809", "9223372036854775808", "1e400", "-1e400", "1.5", "1E-400", "123456789012345678901234567890",
        "true", "false", "null", "[1,2]", "[[[[[]]]]]", "{\"a\":1}", "{\"amount\":\"x\"}", "{\"amount\":1e400}", "{\"amount\":-79228162514264337593543950336}",
        "\"2026-13-45\"", "\"\\u0000\"", "\"\\udfff\"", "\"\\ud83d\\ude42\"", "\"" + new string('x', 5000) + "\"", "\"nosuch\"", "[\"planned\",1]",
    ];

    private readonly Random _random = new(seed);

    public FuzzCase Next(int number) => (number % 10) switch
    {
        0 => RandomBytes(number),
        1 => BrokenJson(number),
        2 => BadText(number),
        3 => HugeNumbers(number),
        4 => DeepNesting(number),
        5 => WrongScalar(number),
        6 => Batch(number),
        7 => Get(number),
        8 => TokenSoup(number),
        _ => DamagedDocument(number),
    };

    private FuzzCase RandomBytes(int number)
    {
        var bytes = new byte[_random.Next(0, _random.Next(2) == 0 ? 64 : 4096)];
        _random.NextBytes(bytes);
        if (bytes.Length > 0 && _random.Next(2) == 0)
        {
            bytes[0] = (byte)"{[\" "[_random.Next(4)];
        }

        var contentType = Pick(["application/json", "application/json; charset=utf-8", "application/graphql", "text/plain", "application/json; charset=latin1", "multipart/form-data"]);
        return Post(number, "random bytes", bytes, contentType);
    }

    private FuzzCase BrokenJson(int number)
    {
        var valid = Body(Pick(Documents), Variables());
        var text = _random.Next(4) switch
        {
            0 => valid[.._random.Next(valid.Length)],
            1 => valid.Insert(_random.Next(valid.Length), Pick(["{", "}", "[", "]", ",", ":", "\"", "\\", "\\u12", "nul", "tru", "-", "1e", "\u0000"])),
            2 => valid.Remove(_random.Next(valid.Length), 1),
            _ => Pick(["", "null", "[]", "[[]]", "{}", "\"query\"", "123", "{\"query\": 1}", "{\"query\": null}", "{\"query\": \"\"}", "{\"query\": [\"{ a }\"]}",
                "{\"query\": \"{ metadataVersion }\", \"variables\": []}", "{\"query\": \"{ metadataVersion }\", \"variables\": \"{}\"}", "{\"query\": \"{ metadataVersion }\", \"operationName\": 5}",
                "{\"query\": \"{ metadataVersion }\", \"extensions\": 1}", "{\"query\":\"{ metadataVersion }\",\"query\":\"{ x }\"}"]),
        };
        return Post(number, "broken JSON", Encoding.UTF8.GetBytes(text));
    }

    private FuzzCase BadText(int number)
    {
        var bad = Pick(["\\ud800", "\\udfff", "\\ud800\\ud800", "\\udbff\\u0041", "\\u0000", "\\u001f"]);
        var place = _random.Next(5);
        var body = place switch
        {
            0 => "{\"query\": \"{ metadataVersion }" + bad + "\"}",
            1 => "{\"query\": \"{ metadataVersion }\", \"operationName\": \"" + bad + "\"}",
            2 => "{\"query\": \"query($t: String!) { search(text: $t) { entity } }\", \"variables\": {\"t\": \"a" + bad + "\"}}",
            3 => "{\"query\": \"{ search(text: \\\"x" + bad + "\\\") { entity } }\"}",
            _ => "{\"query\": \"{ metadataVersion }\", \"extensions\": {\"e" + bad + "\": 1}}",
        };
        var bytes = Encoding.UTF8.GetBytes(body);
        if (_random.Next(3) == 0)
        {
            // Raw bytes that are not UTF-8 somewhere inside a string.
            var at = Array.IndexOf(bytes, (byte)'}');
            var invalid = Pick<byte[]>([[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF]]);
            bytes = [.. bytes[..Math.Max(at, 0)], .. invalid, .. bytes[Math.Max(at, 0)..]];
        }

        return Post(number, "bad text", bytes);
    }

    private FuzzCase HugeNumbers(int number)
    {
        var value = Pick(["9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "1e308", "1e309", "-1e309", "4.9e-324", "1e-400",
            "79228162514264337593543950335", "79228162514264337593543950336", "123456789012345678901234567890123456789012345678901234567890", "0.1e99999", "-0"]);
        var text = _random.Next(3) switch
        {
            0 => Body("query($n: Int) { projects(first: $n) { totalCount } metadataChanges(first: $n) { version } }", "{\"n\": " + value + "}"),
            1 => Body("mutation($i: CreateProjectInput!) { createProject(input: $i) { userErrors { code } } }", "{\"i\": {\"title\": \"n\", \"" + Pick(["headcount", "ratio"]) + "\": " + value + ", \"budget\": {\"amount\": " + value + "}}}"),
            _ => Body("{ projects(first: " + value + ", filter: { headcount: { gt: " + value + " } }) { totalCount } }", null),
        };
        return Post(number, "huge number", Encoding.UTF8.GetBytes(text));
    }

    private FuzzCase DeepNesting(int number)
    {
        var depth = _random.Next(10, 3000);
        var text = _random.Next(4) switch
        {
            0 => Body("{ metadataVersion }", new string('[', 0) + "{\"v\": " + new string('[', depth) + new string(']', depth) + "}"),
            1 => Body("{ " + string.Concat(Enumerable.Repeat("projects { nodes { account { projects { nodes { ", depth / 10)) + "id" + new string('}', depth / 10 * 5) + " }", null),
            2 => Body("{ projects(filter: " + string.Concat(Enumerable.Repeat("{ and: [", depth)) + "{}" + string.Concat(Enumerable.Repeat("] }", depth)) + ") { totalCount } }", null),
            _ => new string('[', depth) + new string(']', depth),
        };
        return Post(number, "deep nesting", Encoding.UTF8.GetBytes(text));
    }

    private FuzzCase WrongScalar(int number)
    {
        var field = Pick(Fields);
        string text;
        if (_random.Next(2) == 0)
        {
            var literal = Pick(WrongLiterals);
            text = _random.Next(3) switch
            {
                0 => Body("mutation { createProject(input: { title: \"w\", " + field + ": " + literal + " }) { project { id } userErrors { field code message } } }", null),
                1 => Body("{ projects(filter: { " + field.Replace("Id", string.Empty, StringComparison.Ordinal) + ": { " + Pick(["eq", "gt", "in", "contains", "between", "isNull"]) + ": " + literal + " } }) { totalCount } }", null),
                _ => Body("{ projects(first: " + literal + ", orderBy: [{ " + field + ": " + Pick(["ASC", "DESC", "\"ASC\"", "1", "null"]) + " }], after: " + literal + ") { totalCount } }", null),
            };
        }
        else
        {
            var value = Pick(WrongJsonValues);
            text = _random.Next(2) == 0
                ? Body("mutation($i: CreateProjectInput!) { createProject(input: $i) { userErrors { field code message } } }", "{\"i\": {\"title\": \"w\", \"" + field + "\": " + value + "}}")
                : Body("query($f: ProjectFilter, $n: Int, $id: ID!) { projects(filter: $f, first: $n) { totalCount } node(id: $id) { id } }",
                    "{\"f\": {\"" + field.Replace("Id", string.Empty, StringComparison.Ordinal) + "\": {\"eq\": " + value + "}}, \"n\": " + value + ", \"id\": " + value + "}");
        }

        return Post(number, "wrong scalar", Encoding.UTF8.GetBytes(text));
    }

    private FuzzCase Batch(int number)
    {
        var count = _random.Next(4) == 0 ? _random.Next(11, 40) : _random.Next(0, 6);
        var items = Enumerable.Range(0, count).Select(_ => _random.Next(4) == 0 ? Pick(["1", "null", "[]", "\"q\"", "{}"]) : Body(Pick(Documents), Variables()));
        return Post(number, "batch", Encoding.UTF8.GetBytes("[" + string.Join(',', items) + "]"));
    }

    private FuzzCase Get(int number)
    {
        var query = _random.Next(3) == 0 ? Soup() : Pick(Documents);
        var parameters = new List<string> { "query=" + Uri.EscapeDataString(query) };
        if (_random.Next(2) == 0)
        {
            parameters.Add("variables=" + Uri.EscapeDataString(Pick(["{", "[]", "null", "{\"n\": 1e400}", "{\"id\": \"\\ud800\"}", "{\"n\": \"x\"}", Variables() ?? "{}"])));
        }

        if (_random.Next(3) == 0)
        {
            parameters.Add("operationName=" + Uri.EscapeDataString(Pick(["Q", "R", "", "\u0000", "nosuch"])));
        }

        if (_random.Next(4) == 0)
        {
            parameters.Add(Pick(["query=%FF%FE", "variables=%C3%28", "extensions=%7B", "query=%00"]));
        }

        var url = "/graphql?" + string.Join('&', parameters.OrderBy(_ => _random.Next()));
        var accept = Pick(["application/json", "application/graphql-response+json", "*/*", "text/html", "image/png", "application/json;q=abc"]);
        return new FuzzCase(number, "GET", url[..Math.Min(300, url.Length)], () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Accept", accept);
            return request;
        });
    }

    private FuzzCase TokenSoup(int number) => Post(number, "token soup", Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { query = Soup() })));

    private FuzzCase DamagedDocument(int number)
    {
        var document = new StringBuilder(Pick(Documents));
        for (var i = _random.Next(1, 6); i > 0; i--)
        {
            var at = _random.Next(document.Length + 1);
            switch (_random.Next(4))
            {
                case 0 when document.Length > 0:
                    document.Remove(Math.Min(at, document.Length - 1), 1);
                    break;
                case 1:
                    document.Insert(at, Pick(Tokens));
                    break;
                case 2 when document.Length > 0:
                    var from = _random.Next(document.Length);
                    document.Insert(at, document.ToString(from, Math.Min(_random.Next(1, 40), document.Length - from)));
                    break;
                default:
                    document.Insert(at, " " + Pick(Tokens) + " ");
                    break;
            }
        }

        return Post(number, "damaged document", Encoding.UTF8.GetBytes(Body(document.ToString(), Variables())));
    }

    private string Soup() => string.Join(_random.Next(2) == 0 ? " " : string.Empty, Enumerable.Range(0, _random.Next(1, 200)).Select(_ => Pick(Tokens)));

    private string? Variables() => _random.Next(3) switch
    {
        0 => null,
        1 => "{\"n\": " + _random.Next(-5, 600).ToString(CultureInfo.InvariantCulture) + ", \"id\": \"" + Pick(["x", "UHJvamVjdDox", "", "\\u0000"]) + "\", \"input\": {\"title\": \"v\"}}",
        _ => "{\"f\": {\"title\": {\"eq\": " + Pick(WrongJsonValues) + "}}, \"after\": " + Pick(WrongJsonValues) + "}",
    };

    private static string Body(string query, string? variables) =>
        "{\"query\": " + JsonSerializer.Serialize(query) + (variables is null ? string.Empty : ", \"variables\": " + variables) + "}";

    private FuzzCase Post(int number, string kind, byte[] body, string contentType = "application/json")
    {
        var accept = _random.Next(2) == 0 ? "application/json" : "application/graphql-response+json";
        return new(number, kind, Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300)), () =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = content };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
            return request;
        });
    }

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];
}
