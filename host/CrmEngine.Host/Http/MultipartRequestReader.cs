using System.Text.Json;
using CrmEngine.Engine.Errors;
using CrmEngine.Files;
using CrmEngine.Files.Uploads;
using CrmEngine.GraphQL.Execution;
using GraphQL;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CrmEngine.Host.Http;

/// <summary>
/// Reads a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec),
/// as Apollo and most clients send uploads: an <c>operations</c> part (the JSON body of a normal
/// request, with null where files go), a <c>map</c> part (file part name → the paths in operations it
/// fills), then the file parts. Each file is staged as it arrives (<see cref="UploadStager"/>: never
/// whole in memory, refused at once over the tenant's size or for a type it does not accept) and put
/// in the variables at its paths, where the <c>Upload</c> scalar takes it. A part out of order, a map
/// that names a part not sent (or a part the map does not name) is a typed 400; staged files are
/// deleted when the request ends, so a refused request stores nothing.
/// </summary>
public sealed class MultipartRequestReader(GraphQLRequestReader reader, UploadStager stager, IOptions<EndpointLimits> limits)
{
    public const string MediaType = "multipart/form-data";

    /// <summary>The headers a multipart request must carry (either, non-empty) to show it is not a cross-site form post.</summary>
    public static readonly string[] PreflightHeaders = ["GraphQL-Preflight", "Apollo-Require-Preflight"];

    public static bool IsMultipart(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) && parsed.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase);

    public static bool HasPreflightHeader(HttpRequest request) => PreflightHeaders.Any(h => !string.IsNullOrWhiteSpace(request.Headers[h]));

    public async Task<(List<CrmGraphQLRequest> Requests, bool Batched)> ReadAsync(HttpContext http, FileLimits fileLimits, CancellationToken cancellationToken)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(http.Request.ContentType).Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            throw Malformed("The multipart request has no boundary.");
        }

        var multipart = new MultipartReader(boundary, http.Request.Body) { HeadersLengthLimit = 16 * 1024, BodyLengthLimit = null };
        try
        {
            var operations = await NextAsync(multipart, "operations", cancellationToken);
            using var operationsJson = await ReadSmallAsync(operations, cancellationToken);
            var (requests, batched) = await reader.ReadPostAsync(operationsJson, cancellationToken);
            var map = ReadMap(await ReadSmallAsync(await NextAsync(multipart, "map", cancellationToken), cancellationToken), fileLimits);

            var staged = new Dictionary<string, StagedFile>(StringComparer.Ordinal);
            while (await multipart.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                var disposition = section.GetContentDispositionHeader();
                var name = disposition?.Name.Value ?? string.Empty;
                if (!map.ContainsKey(name))
                {
                    throw new BadGraphQLRequestException($"The part '{name}' is not in the map: every file part must be.", ErrorCodes.MissingMapEntry);
                }

                if (staged.ContainsKey(name))
                {
                    throw Malformed($"The part '{name}' is sent twice.");
                }

                var file = await stager.StageAsync(section.Body, disposition!.FileNameStar.Value ?? disposition.FileName.Value, fileLimits, cancellationToken);
                http.Response.RegisterForDispose(file);
                staged[name] = file;
            }

            foreach (var name in map.Keys.Where(k => !staged.ContainsKey(k)))
            {
                throw new BadGraphQLRequestException($"The map names the part '{name}', but no such file part was sent.", ErrorCodes.MissingMapEntry);
            }

            foreach (var (name, paths) in map)
            {
                foreach (var path in paths)
                {
                    Place(requests, batched, path, staged[name]);
                }
            }

            return (requests, batched);
        }
        catch (Exception e) when (e is InvalidDataException or IOException and not BadHttpRequestException)
        {
            throw Malformed("The multipart body could not be read: " + e.Message);
        }
    }

    private static async Task<MultipartSection> NextAsync(MultipartReader multipart, string expected, CancellationToken cancellationToken)
    {
        var section = await multipart.ReadNextSectionAsync(cancellationToken);
        var disposition = section?.GetContentDispositionHeader();
        return disposition is not null && disposition.Name.Value == expected && !disposition.IsFileDisposition()
            ? section!
            : throw Malformed($"The multipart request's parts must be 'operations', then 'map', then the files; '{expected}' is missing or out of place.");
    }

    /// <summary>A text part, held in memory: at most the JSON body limit.</summary>
    private async Task<MemoryStream> ReadSmallAsync(MultipartSection section, CancellationToken cancellationToken)
    {
        var max = limits.Value.MaxBodyBytes;
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await section.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw new BadGraphQLRequestException($"The '{section.GetContentDispositionHeader()?.Name.Value}' part is larger than the {max} bytes allowed.");
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        return buffer;
    }

    private static Dictionary<string, string[]> ReadMap(MemoryStream json, FileLimits fileLimits)
    {
        try
        {
            using (json)
            {
                var map = JsonSerializer.Deserialize<Dictionary<string, string[]>>(json) ?? throw Malformed("The map must be a JSON object.");
                if (map.Count > fileLimits.MaxFiles)
                {
                    throw new BadGraphQLRequestException($"The request sends {map.Count} files; at most {fileLimits.MaxFiles} may be sent in one request.");
                }

                return map.Values.Any(paths => paths is null || paths.Length == 0)
                    ? throw Malformed("Each entry of the map must list at least one path.")
                    : map;
            }
        }
        catch (JsonException e)
        {
            throw Malformed("The map is not a JSON object of lists of paths: " + e.Message);
        }
    }

    /// <summary>Puts a file at an object path of the operations ("variables.file", "0.variables.files.1" in a batch).</summary>
    private static void Place(List<CrmGraphQLRequest> requests, bool batched, string path, StagedFile file)
    {
        var segments = path.Split('.');
        var index = 0;
        var at = 0;
        if (batched && (segments.Length == 0 || !int.TryParse(segments[at++], out index) || index < 0 || index >= requests.Count))
        {
            throw Malformed($"The map's path '{path}' names no operation of the batch.");
        }

        if (segments.Length < at + 2 || segments[at] != "variables")
        {
            throw Malformed($"The map's path '{path}' must lead into the variables.");
        }

        var variables = new Dictionary<string, object?>(requests[index].Variables ?? Inputs.Empty, StringComparer.Ordinal);
        object container = variables;
        for (var i = at + 1; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            var key = segments[i];
            switch (container)
            {
                case IDictionary<string, object?> map when last:
                    map[key] = file;
                    break;
                case IDictionary<string, object?> map when map.TryGetValue(key, out var next) && next is not null:
                    container = next;
                    break;
                case IList<object?> list when int.TryParse(key, out var item) && item >= 0 && item < list.Count:
                    if (last)
                    {
                        list[item] = file;
                    }
                    else
                    {
                        container = list[item] ?? throw Malformed($"The map's path '{path}' leads nowhere in the variables.");
                    }

                    break;
                default:
                    throw Malformed($"The map's path '{path}' leads nowhere in the variables.");
            }
        }

        requests[index] = requests[index] with { Variables = new Inputs(variables) };
    }

    private static BadGraphQLRequestException Malformed(string message) => new(message, ErrorCodes.MalformedMultipart);
}
