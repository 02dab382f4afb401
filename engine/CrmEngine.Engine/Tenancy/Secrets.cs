using System.Security.Cryptography;

namespace CrmEngine.Engine.Tenancy;

/// <summary>Random host secrets kept as owner-only files in the data directory, so every host on it agrees.</summary>
public static class Secrets
{
    public static byte[] LoadOrCreate(DataDirectory directory, string name)
    {
        var path = Path.Combine(directory.Path, name);
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        OwnerOnlyFile.CreateDirectory(directory.Path);
        var secret = RandomNumberGenerator.GetBytes(32);
        OwnerOnlyFile.Write(path, Convert.ToBase64String(secret));
        return secret;
    }
}
