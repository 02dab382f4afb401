using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace CrmEngine.Host.Security;

/// <summary>
/// The signing keys an identity provider publishes: its JSON Web Key Set, found through OpenID
/// Connect discovery or configured directly. Fetched on first use and kept; fetched again once
/// <see cref="JwtSettings.KeyRefreshInterval"/> has passed (so retired keys stop working) and when a
/// token names a key not in the set (so a rotated-in key works at once), but never more often than
/// <see cref="JwtSettings.KeyRefreshMinimumInterval"/>, so made-up key ids cannot make the host hammer
/// the provider. When a fetch fails, the keys fetched before stay in use.
/// </summary>
internal sealed class ProviderKeys(JwtSettings settings, HttpClient http, TimeProvider time, ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private volatile Fetched? _current;
    private DateTimeOffset? _lastAttempt;

    /// <summary>The published keys and issuer; null while none could be fetched.</summary>
    public async ValueTask<Fetched?> GetAsync(string? keyId, CancellationToken cancellationToken)
    {
        if (_current is { } current && IsFresh(current, keyId))
        {
            return current;
        }

        await _fetching.WaitAsync(cancellationToken);
        try
        {
            // Another request may have fetched while this one waited.
            current = _current;
            var now = time.GetUtcNow();
            if ((current is not null && IsFresh(current, keyId)) || now - _lastAttempt < settings.KeyRefreshMinimumInterval)
            {
                return current;
            }

            try
            {
                _current = await FetchAsync(now, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or ArgumentException or InvalidOperationException
                || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                logger.LogWarning("The signing keys of identity provider {Provider} could not be fetched ({Reason}); {Kept}.",
                    settings.Authority ?? settings.JwksUri, e.Message, current is null ? "no tokens of it are accepted until they are" : "the keys fetched before stay in use");
            }

            _lastAttempt = now;
            return _current;
        }
        finally
        {
            _fetching.Release();
        }
    }

    public void Dispose() => _fetching.Dispose();

    private bool IsFresh(Fetched fetched, string? keyId) =>
        time.GetUtcNow() - fetched.At < settings.KeyRefreshInterval && (keyId is null || fetched.KeyIds.Contains(keyId));

    private async Task<Fetched> FetchAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keySetAddress = settings.JwksUri;
        string? issuer = null;
        if (settings.Authority is { } authority)
        {
            using var discovery = await GetJsonAsync(authority.TrimEnd('/') + "/.well-known/openid-configuration", cancellationToken);
            issuer = discovery.RootElement.TryGetProperty("issuer", out var named) ? named.GetString() : null;
            keySetAddress ??= discovery.RootElement.TryGetProperty("jwks_uri", out var jwks) ? jwks.GetString() : null;
        }

        var keySet = new JsonWebKeySet(await GetTextAsync(keySetAddress ?? throw new InvalidOperationException("the discovery document names no jwks_uri"), cancellationToken));
        var keys = keySet.GetSigningKeys().ToList();
        return new Fetched(keys, keys.Select(k => k.KeyId).OfType<string>().ToHashSet(StringComparer.Ordinal), issuer, now);
    }

    private async Task<JsonDocument> GetJsonAsync(string address, CancellationToken cancellationToken) =>
        JsonDocument.Parse(await GetTextAsync(address, cancellationToken));

    private async Task<string> GetTextAsync(string address, CancellationToken cancellationToken)
    {
        var uri = new Uri(address, UriKind.Absolute);
        if (settings.RequireHttpsMetadata && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException($"{address} is not HTTPS (RequireHttpsMetadata)");
        }

        return await http.GetStringAsync(uri, cancellationToken);
    }

    /// <summary>One fetch: the keys, their ids, the issuer discovery named, and when.</summary>
    public sealed record Fetched(IReadOnlyList<SecurityKey> Keys, IReadOnlySet<string> KeyIds, string? Issuer, DateTimeOffset At);
}
