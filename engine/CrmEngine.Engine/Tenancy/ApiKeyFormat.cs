using System.Security.Cryptography;
using System.Text;

namespace CrmEngine.Engine.Tenancy;

/// <summary>
/// Keys look like <c>crm_&lt;16-char id&gt;_&lt;43-char secret&gt;</c>: the id is public and indexes
/// the catalog, the 256-bit secret is only ever stored as a SHA-256 hash. A slow hash is not
/// needed for random secrets of this size, and a fast one keeps authentication cheap.
/// </summary>
public static class ApiKeyFormat
{
    private const string Prefix = "crm_";
    private const int IdLength = 16;
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static (string Id, string Secret, string Key) Generate()
    {
        var id = new string(RandomNumberGenerator.GetItems<char>(IdAlphabet, IdLength));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (id, secret, $"{Prefix}{id}_{secret}");
    }

    public static bool TryParse(string? key, out string id, out string secret)
    {
        id = secret = string.Empty;
        if (key is null || key.Length < Prefix.Length + IdLength + 2 || !key.StartsWith(Prefix, StringComparison.Ordinal) || key[Prefix.Length + IdLength] != '_')
        {
            return false;
        }

        id = key.Substring(Prefix.Length, IdLength);
        secret = key[(Prefix.Length + IdLength + 1)..];
        return id.All(IdAlphabet.Contains) && secret.Length >= 32;
    }

    public static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
