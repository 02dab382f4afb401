namespace CrmEngine.Sdk;

/// <summary>Facts about this build of the SDK.</summary>
public static class SdkInfo
{
    /// <summary>
    /// The SDK's semantic version. Plugin manifests name the range they need (for example
    /// <c>^0.1</c>); the host refuses plugins whose range does not include it.
    /// </summary>
    public const string Version = "0.1.1";
}
