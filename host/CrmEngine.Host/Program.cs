using CrmEngine.Host.Admin;
using CrmEngine.Host.Hosting;

// Admin verbs (tenants, migrate, backup, restore) do their job and exit; anything else serves.
if (AdminCommands.IsVerb(args))
{
    return await AdminCommands.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddCrmEngine();

var app = builder.Build();
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
await app.RunAsync();
return 0;

/// <summary>The entry point, public so functional tests can host it with WebApplicationFactory.</summary>
public partial class Program;
