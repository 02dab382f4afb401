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

        Directory.CreateDirectory(directory.Path);
        var secret = RandomNumberGenerator.GetBytes(32);
        WriteOwnerOnly(path, Convert.ToBase64String(secret));
        return secret;
    }

    /// <summary>Writes a file only its owner can read (mode 600 where the OS has Unix modes).</summary>
    public static void WriteOwnerOnly(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }
}
