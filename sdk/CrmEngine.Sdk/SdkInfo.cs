namespace CrmEngine.Sdk;

/// <summary>Facts about this build of the SDK.</summary>
public static class SdkInfo
{
    /// <summary>
    /// The SDK's semantic version. Plugin manifests name the range they need (for example
    /// <c>^0.2</c>); the host loads a plugin when its range includes some version from
    /// <see cref="OldestCompatibleVersion"/> to this one.
    /// </summary>
    public const string Version = "0.3.2";

    /// <summary>
    /// The oldest SDK version whose plugins this SDK still runs: every version from here to
    /// <see cref="Version"/> only added to the one before it, so a plugin built for any of them
    /// (a manifest saying <c>^0.1</c>) loads. It moves up only when the SDK breaks plugins.
    /// </summary>
    public const string OldestCompatibleVersion = "0.1.0";
}
