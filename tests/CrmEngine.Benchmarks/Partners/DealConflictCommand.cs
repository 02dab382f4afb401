using System.Diagnostics;
using System.Globalization;
using CrmEngine.Benchmarks.Load;
using CrmEngine.Engine.Identity;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Engine.Tenancy;
using CrmEngine.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CrmEngine.Benchmarks.Partners;

/// <summary>
/// Conflict detection for deal registrations (issue 22), as a partner meets it: a real host (in this
/// process, on Kestrel at a loopback port) with the sales and partners plugins loaded from their
/// folders, a tenant with both enabled, 100k accounts and 100k leads imported through the engine's bulk
/// path (RecordImporter, so the partners plugin's hooks compute every match key as a single create
/// would), then N <c>submitDealRegistration</c> calls over HTTP, one at a time: half name a known
/// customer in another spelling, legal form, mailbox and phone format, half a customer nobody has.
/// Each claim is first checked alone with the read-only <c>checkDealConflicts</c> query (as a portal asks it
/// while the partner types: the conflict detection itself), then submitted: the submission stores the
/// registration, finds its conflicts again (accounts, contacts, open leads, open opportunities, other
/// partners' claims), stores each and submits it for approval. The p50 and p95 of both calls are
/// printed (target p50 &lt; 20 ms), and the two must agree on every claim's conflicts.
///   dotnet run -c Release --project tests/CrmEngine.Benchmarks -- deal-conflicts --rows 100000 --checks 400 [--store postgres]
/// </summary>
public static class DealConflictCommand
{
    private const string Submit = """
        mutation($p: ID!, $i: DealClaimInput!) { submitDealRegistration(partnerId: $p, input: $i) {
          result { id conflictCount } userErrors { field code message } } }
        """;

    private const string Check = """
        query($p: ID!, $n: String, $e: String, $t: String) { checkDealConflicts(partnerId: $p, customerName: $n, email: $e, phone: $t) { kind reasons } }
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = int.Parse(LoadCommand.Option(args, "--rows", "100000"), CultureInfo.InvariantCulture);
        var checks = int.Parse(LoadCommand.Option(args, "--checks", "400"), CultureInfo.InvariantCulture);
        var postgres = PluginBenchHost.IsPostgres(args);
        var options = PluginBenchHost.Options(args, "CrmEngine.Plugins.Sales", "CrmEngine.Plugins.Partners");
        await using var host = await CrmTestHost.StartAsync(options);
        var tenant = await host.CreateTenantAsync("sales", "partners");
        var store = await host.Services.GetRequiredService<TenantRegistry>().GetAsync(tenant.Id, CancellationToken.None);
        var session = new CrmSession(store, new CrmPrincipal(tenant.Id, Guid.CreateVersion7(), null, [CrmPrincipal.AdminRole]));
        var importer = host.Services.GetRequiredService<RecordImporter>();

        var seeding = Stopwatch.StartNew();
        var accounts = await importer.ImportAsync(session, "account", Enumerable.Range(0, rows).Select(CustomerDataset.Account), 5000, CancellationToken.None);
        var leads = await importer.ImportAsync(session, "lead", Enumerable.Range(rows, rows).Select(CustomerDataset.Lead), 5000, CancellationToken.None);
        Console.WriteLine($"Imported {accounts.Imported:N0} accounts and {leads.Imported:N0} leads ({accounts.Refused.Count + leads.Refused.Count} refused) in {seeding.Elapsed.TotalSeconds:F0} s on {(postgres ? "PostgreSQL" : "SQLite")}.");
        if (accounts.Imported != rows || leads.Imported != rows)
        {
            Console.Error.WriteLine($"The seed was refused: {string.Join("; ", accounts.Refused.Concat(leads.Refused).Take(3).SelectMany(r => r.Errors).Select(e => $"{e.Code} {e.Message}"))}");
            return 1;
        }

        var admin = tenant.Admin;
        var partner = (await admin.MutateAsync("mutation { createPartner(input: {name: \"华东智联信息技术有限公司\", type: \"reseller\"}) { partner { id } userErrors { field code message } } }"))["partner"]!["id"]!.GetValue<string>();

        var random = new Random(22);
        var known = new List<double>();
        var unknown = new List<double>();
        var (checkKnown, checkUnknown) = (new List<double>(), new List<double>());
        var (hits, missed, falseAlarms, conflicts) = (0, 0, 0, 0L);
        for (var j = -20; j < checks; j++)
        {
            var isKnown = j % 2 == 0;
            object claim, check;
            if (isKnown)
            {
                // A known customer: an account or a lead, in another spelling, with another person's
                // mailbox at the company (or, for every third, no e-mail) and its number dialled otherwise.
                // (A lead found unqualified is no claim on the customer: the detector rightly passes it over.)
                var k = random.Next(2 * rows);
                var c = CustomerDataset.At(k >= rows && k % 10 == 9 ? k - 1 : k);
                var email = j % 3 == 0 ? null : $"purchasing@{c.Domain.ToUpperInvariant()}";
                var phone = c.Index < rows ? c.LandlineDialled : $"+86 {c.Mobile[..3]} {c.Mobile[3..7]} {c.Mobile[7..]}";
                claim = Claim(c.OtherSpelling, email, phone, j);
                check = new { p = partner, n = c.OtherSpelling, e = email, t = phone };
            }
            else
            {
                var (name, email, phone) = CustomerDataset.Unknown(10_000_000 + j + 20);
                claim = Claim(name, email, phone, j);
                check = new { p = partner, n = name, e = (string?)email, t = phone };
            }

            var checkClock = Stopwatch.StartNew();
            var checkResponse = await admin.PostAsync(Check, check);
            checkClock.Stop();
            var found = checkResponse.Data?["checkDealConflicts"]?.AsArray();
            if (checkResponse.Errors is not null || found is null)
            {
                Console.Error.WriteLine($"A conflict check failed: {checkResponse.Raw}");
                return 1;
            }

            var clock = Stopwatch.StartNew();
            var response = await admin.PostAsync(Submit, new { p = partner, i = claim });
            clock.Stop();
            var result = response.Data?["submitDealRegistration"]?["result"];
            if (response.Errors is not null || response.UserErrors.Count > 0 || result is null)
            {
                Console.Error.WriteLine($"A registration failed: {response.Raw}");
                return 1;
            }

            var count = result["conflictCount"]!.GetValue<long>();
            if (found.Count != count)
            {
                Console.Error.WriteLine($"checkDealConflicts found {found.Count} conflicts, the submission {count}: {checkResponse.Raw}");
                return 1;
            }

            if (j < 0)
            {
                continue; // warming up: compiled queries, plans, caches
            }

            (isKnown ? known : unknown).Add(clock.Elapsed.TotalMilliseconds);
            (isKnown ? checkKnown : checkUnknown).Add(checkClock.Elapsed.TotalMilliseconds);
            conflicts += count;
            (hits, missed, falseAlarms) = (hits + (isKnown && count > 0 ? 1 : 0), missed + (isKnown && count == 0 ? 1 : 0), falseAlarms + (!isKnown && count > 0 ? 1 : 0));
        }

        var checkTimes = checkKnown.Concat(checkUnknown).ToList();
        Console.WriteLine($"checkDealConflicts (the check alone) against {rows:N0} accounts and {rows:N0} leads, {checkTimes.Count} calls: p50 {Percentile(checkTimes, 0.5):F1} ms, p95 {Percentile(checkTimes, 0.95):F1} ms (target p50 < 20 ms)");
        Console.WriteLine($"  known customers:   p50 {Percentile(checkKnown, 0.5):F1} ms, p95 {Percentile(checkKnown, 0.95):F1} ms");
        Console.WriteLine($"  unknown customers: p50 {Percentile(checkUnknown, 0.5):F1} ms, p95 {Percentile(checkUnknown, 0.95):F1} ms");
        var all = known.Concat(unknown).ToList();
        Console.WriteLine($"submitDealRegistration against {rows:N0} accounts and {rows:N0} leads, {all.Count} calls: p50 {Percentile(all, 0.5):F1} ms, p95 {Percentile(all, 0.95):F1} ms (target p50 < 20 ms)");
        Console.WriteLine($"  known customers:   p50 {Percentile(known, 0.5):F1} ms, p95 {Percentile(known, 0.95):F1} ms; {hits} of {known.Count} found, {(double)conflicts / Math.Max(1, all.Count):F1} conflicts a call on average");
        Console.WriteLine($"  unknown customers: p50 {Percentile(unknown, 0.5):F1} ms, p95 {Percentile(unknown, 0.95):F1} ms; {falseAlarms} reported a conflict");
        return missed == 0 && falseAlarms == 0 ? 0 : 1;
    }

    private static object Claim(string customer, string? email, string phone, int j) => new
    {
        customerName = customer, contactName = "王磊", email, phone, products = "CRM 专业版 200 用户", productCategories = new[] { "software" },
        amount = 100000m + j, expectedCloseDate = "2099-06-30",
    };

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
