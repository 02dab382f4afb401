using CrmEngine.Host.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddCrmEngine();

var app = builder.Build();
await app.InitializeCrmEngineAsync();
app.MapCrmEngine();
await app.RunAsync();

/// <summary>The entry point, public so functional tests can host it with WebApplicationFactory.</summary>
public partial class Program;
