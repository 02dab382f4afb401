using CrmEngine.Host.Admin;
using CrmEngine.Host.Hosting;

// Admin verbs (tenants, migrate, backup, restore) do their job and exit; anything else serves.
if (AdminCommands.IsVerb(args))
{
    return await AdminCommands.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
ListenAddresses.ApplyDefault(builder);
builder.AddCrmEngine();

var app = builder.Build();
// A taken address stops the host before it creates anything (a tenant, a key).
if (ListenAddresses.FindInUse(app.Configuration) is { } taken)
{
    await Console.Error.WriteLineAsync(ListenAddresses.InUseMessage(taken));
    return 1;
}

try
{
    await app.InitializeCrmEngineAsync();
}
catch (CrmEngine.Engine.Errors.CrmException e)
{
    // A store that is misconfigured or unreachable: one clear line, no stack trace.
    await Console.Error.WriteLineAsync($"CrmEngine could not start. {e.Code}: {e.Message}");
    return 1;
}

app.MapCrmEngine();
try
{
    await app.RunAsync();
}
catch (Exception e) when (ListenAddresses.IsAddressInUse(e))
{
    // Taken in the moment between the check above and the start.
    await Console.Error.WriteLineAsync(ListenAddresses.InUseMessage(app.Urls.Count > 0 ? string.Join(", ", app.Urls) : null));
    return 1;
}

return 0;

/// <summary>The entry point, public so functional tests can host it with WebApplicationFactory.</summary>
public partial class Program;
