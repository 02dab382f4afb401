using BenchmarkDotNet.Running;
using CrmEngine.Benchmarks.Load;

// Load scenarios against the real host and a raw ADO.NET baseline (see README.md beside this file):
//   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- load --rows 100000,1000000 --seconds 10
// Micro-benchmarks:
//   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- --filter '*'
return args.FirstOrDefault() switch
{
    "load" => await LoadCommand.RunAsync(args[1..]),
    "raw-server" => await RawServer.RunAsync(args[1..]),
    "drive" => await LoadCommand.DriveAsync(args[1..]),
    _ => Micro(args),
};

static int Micro(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(LoadCommand).Assembly).Run(args);
    return 0;
}
