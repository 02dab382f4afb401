using System.Collections.Frozen;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace CrmEngine.Host.Http;

/// <summary>
/// The GraphiQL page's scripts, styles, font and Monaco workers, built from the npm packages by
/// build/graphiql/build.sh and embedded in this assembly, so the page needs no other server. They
/// are served under a folder named by a hash of them all (<see cref="Path"/>), which changes
/// whenever any of them does, so browsers may keep them forever; each also has an ETag.
/// </summary>
public sealed class GraphiQLAssets
{
    public const string RoutePrefix = "/graphiql";
    private const string ResourcePrefix = "graphiql/";

    private static readonly Lazy<GraphiQLAssets> Embedded = new(() => new GraphiQLAssets(typeof(GraphiQLAssets).Assembly));

    private readonly FrozenDictionary<string, Asset> _assets;

    private GraphiQLAssets(System.Reflection.Assembly assembly)
    {
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".ttf"] = "font/ttf";
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            var name = resource[ResourcePrefix.Length..];
            var type = types.TryGetContentType(name, out var known) ? known : "application/octet-stream";
            assets[name] = new Asset(bytes.ToArray(), type.StartsWith("text/", StringComparison.Ordinal) ? type + "; charset=utf-8" : type);
        }

        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
        var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', _assets.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + ":" + a.Value.Hash)))))[..16];
        Path = $"{RoutePrefix}/{version}";
    }

    /// <summary>The assets of this build of the host (read from the assembly once per process).</summary>
    public static GraphiQLAssets Instance => Embedded.Value;

    /// <summary>Where this build's assets are served, such as /graphiql/0123456789abcdef.</summary>
    public string Path { get; }

    public IReadOnlyCollection<string> Names => _assets.Keys;

    /// <summary>GET /graphiql/{version}/{name}: an asset of this build, 304 when the client has it, 404 for any other name or version.</summary>
    public Task ServeAsync(HttpContext http, string version, string name)
    {
        if (!_assets.TryGetValue(name, out var asset) || !string.Equals($"{RoutePrefix}/{version}", Path, StringComparison.Ordinal))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        var gzip = asset.Compressible && AcceptsGzip(http.Request);
        var etag = new EntityTagHeaderValue($"\"{asset.Hash}{(gzip ? "-gz" : "")}\"");
        var headers = http.Response.GetTypedHeaders();
        headers.ETag = etag;
        headers.CacheControl = new CacheControlHeaderValue { Public = true, MaxAge = TimeSpan.FromDays(365), Extensions = { new NameValueHeaderValue("immutable") } };
        http.Response.Headers.Vary = HeaderNames.AcceptEncoding;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        if (http.Request.GetTypedHeaders().IfNoneMatch.Any(t => t.Compare(etag, useStrongComparison: false) || t.Equals(EntityTagHeaderValue.Any)))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        var body = gzip ? asset.Gzipped : asset.Content;
        http.Response.ContentType = asset.ContentType;
        http.Response.ContentLength = body.Length;
        if (gzip)
        {
            http.Response.Headers.ContentEncoding = "gzip";
        }

        return http.Response.Body.WriteAsync(body, http.RequestAborted).AsTask();
    }

    private static bool AcceptsGzip(HttpRequest request) =>
        request.GetTypedHeaders().AcceptEncoding.Any(e => string.Equals(e.Value.Value, "gzip", StringComparison.OrdinalIgnoreCase) && e.Quality is not 0);

    private sealed class Asset(byte[] content, string contentType)
    {
        private readonly Lazy<byte[]> _gzipped = new(() => Compress(content));

        public byte[] Content { get; } = content;

        public string ContentType { get; } = contentType;

        public string Hash { get; } = Convert.ToHexStringLower(SHA256.HashData(content))[..16];

        /// <summary>Scripts and styles shrink to about a quarter with gzip; the font is compressed already.</summary>
        public bool Compressible => !ContentType.StartsWith("font/", StringComparison.Ordinal);

        /// <summary>Compressed on first use, once per process.</summary>
        public byte[] Gzipped => _gzipped.Value;

        private static byte[] Compress(byte[] content)
        {
            using var compressed = new MemoryStream();
            using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal))
            {
                gzip.Write(content);
            }

            return compressed.ToArray();
        }
    }
}
