using System.Globalization;
using System.Text.Json;
using CrmEngine.Engine.Records;
using CrmEngine.GraphQL.Execution;
using CrmEngine.GraphQL.Execution.Export;
using GraphQL;
using GraphQLParser.AST;

namespace CrmEngine.Host.Export;

/// <summary>One page of an export: its rows (one value per column), where the next starts, or the response that refused it.</summary>
public sealed record ExportPage(List<object?[]> Rows, bool HasNext, string? EndCursor, byte[]? Refusal);

/// <summary>
/// Runs an export's query a page at a time through the GraphQL executor, as the caller: the same
/// validation, guards, row and field rights as /graphql. Each page is read into its rows and let go,
/// so an export of any size holds one page at a time.
/// </summary>
public sealed class ExportPages(CrmGraphQLExecutor executor, IGraphQLTextSerializer serializer, CrmSession session, CrmGraphQLRequest request, ExportPlan plan,
    string? locale, IServiceProvider services, int pageSize) : IDisposable
{
    // Unguessable per process: a client can't send this text to /graphql and have its own
    // (unpaged) document cached under the key the export's rewritten one is cached under.
    private static readonly string Marker = "\n#crm-export " + Guid.NewGuid().ToString("N");
    // One buffer for every page: a page's JSON is larger than the large-object threshold, and a new
    // stream per page would leave a trail of large arrays for the collector.
    private readonly MemoryStream _buffer = new();
    private readonly CrmGraphQLRequest _paged = request with { Query = request.Query + Marker, Document = plan.Document, Operation = OperationType.Query, Census = null };

    public async Task<ExportPage> ReadAsync(string? after, CancellationToken cancellationToken)
    {
        var variables = new Dictionary<string, object?>(request.Variables ?? Inputs.Empty, StringComparer.Ordinal)
        {
            [ExportPlan.FirstVariable] = pageSize,
            [ExportPlan.AfterVariable] = after,
        };
        var result = await executor.ExecuteAsync(session, _paged with { Variables = new Inputs(variables) }, locale, services, cancellationToken);
        var buffer = _buffer;
        buffer.SetLength(0);
        await serializer.WriteAsync(buffer, result, cancellationToken);
        if (!result.Executed || result.Errors is { Count: > 0 })
        {
            return new ExportPage([], false, null, buffer.ToArray());
        }

        using var json = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        var list = json.RootElement.GetProperty("data").GetProperty(plan.RootKey);
        var rows = new List<object?[]>();
        foreach (var node in Leaves(list, plan.NodesPath, 0))
        {
            var row = new object?[plan.Columns.Count];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = Value(Leaves(node, plan.Columns[i].Path, 0).ToList());
            }

            rows.Add(row);
        }

        var page = list.GetProperty(ExportPlan.PageKey);
        return new ExportPage(rows, page.GetProperty("hasNextPage").GetBoolean(), page.GetProperty("endCursor").GetString(), null);
    }

    public void Dispose() => _buffer.Dispose();

    /// <summary>What a path reaches from an element; lists on the way (a record's list of related records) are opened.</summary>
    private static IEnumerable<JsonElement> Leaves(JsonElement element, IReadOnlyList<string> path, int at)
    {
        if (element.ValueKind == JsonValueKind.Array && (at < path.Count || element.EnumerateArray().Any(e => e.ValueKind is JsonValueKind.Object or JsonValueKind.Array)))
        {
            return element.EnumerateArray().SelectMany(e => Leaves(e, path, at));
        }

        if (at == path.Count)
        {
            return [element];
        }

        return element.ValueKind == JsonValueKind.Object && element.TryGetProperty(path[at], out var next) ? Leaves(next, path, at + 1) : [];
    }

    /// <summary>A cell: a number, a boolean or text; several values (a list) joined by "; ".</summary>
    private static object? Value(List<JsonElement> values) => values.Count switch
    {
        0 => null,
        1 => Scalar(values[0]),
        _ => string.Join("; ", values.Select(Scalar).Where(v => v is not null).Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))),
    };

    private static object? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.TryGetDecimal(out var number) ? number : value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => string.Join("; ", value.EnumerateArray().Select(Scalar).Where(v => v is not null).Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))),
        JsonValueKind.Object => value.GetRawText(),
        _ => null,
    };
}
