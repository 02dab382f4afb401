using BenchmarkDotNet.Running;

// Micro-benchmarks: dotnet run -c Release --project tests/CrmEngine.Benchmarks -- --filter '*'
// Load scenarios are documented in README.md beside this file.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
