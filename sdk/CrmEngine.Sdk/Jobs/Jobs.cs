using CrmEngine.Sdk.Identity;
using CrmEngine.Sdk.Records;
using CrmEngine.Sdk.Settings;

namespace CrmEngine.Sdk.Jobs;

/// <summary>
/// Work on a schedule, run for every tenant that enables the plugin, once per due time even when
/// several hosts serve the tenant. Missed runs (host down) are not replayed one by one: the job
/// runs once when it is next checked.
/// </summary>
public interface IScheduledJob
{
    /// <summary>A name unique within the plugin.</summary>
    string Name { get; }

    /// <summary>A cron expression (5 fields, or 6 with seconds), evaluated in UTC.</summary>
    string Cron { get; }

    /// <summary>Does the work for one tenant.</summary>
    Task RunAsync(IJobContext context, CancellationToken cancellationToken);
}

/// <summary>What a job run sees.</summary>
public interface IJobContext
{
    /// <summary>The engine's system identity on the tenant.</summary>
    ICrmIdentity Identity { get; }

    /// <summary>The record API, as the system identity.</summary>
    IRecordApi Records { get; }

    /// <summary>The due time this run is for (UTC).</summary>
    DateTime ScheduledAt { get; }

    /// <summary>The tenant's users and teams.</summary>
    IUserDirectory Directory { get; }

    /// <summary>Notifications to users.</summary>
    Notifications.INotifier Notifications { get; }

    /// <summary>Messages to records (e-mail, SMS, webhook).</summary>
    Messaging.IMessaging Messaging { get; }

    /// <summary>The plugin's settings on this tenant (the tenant's values, else the defaults).</summary>
    IPluginSettings Settings { get; }
}

/// <summary>Data a plugin puts into a tenant the first time it is enabled there (reference data, demo data).</summary>
public interface IPluginSeed
{
    /// <summary>Writes the data.</summary>
    Task SeedAsync(ISeedContext context, CancellationToken cancellationToken);
}

/// <summary>What a seed sees.</summary>
public interface ISeedContext
{
    /// <summary>The engine's system identity on the tenant.</summary>
    ICrmIdentity Identity { get; }

    /// <summary>The record API, as the system identity.</summary>
    IRecordApi Records { get; }

    /// <summary>True for the demo tenant, which gets a realistic demo data set.</summary>
    bool IsDemoTenant { get; }

    /// <summary>The tenant's users and teams; a seed may add the ones its data set needs.</summary>
    ISeedDirectory Directory { get; }
}
