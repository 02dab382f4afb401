using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmEngine.Plugins.Marketing.Common;
using CrmEngine.Plugins.Marketing.Segments;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Marketing.Journeys;

/// <summary>What a branch asks: did the person open or click a send step's e-mail, or do they match a filter (a field value, the score).</summary>
internal sealed record BranchTest(string Kind, string? Step, Condition? Filter);

/// <summary>One step of a journey, as its JSON gives it.</summary>
internal sealed record JourneyStep(string Key, string Type)
{
    public string? Next { get; init; }

    public string? Then { get; init; }

    public string? Else { get; init; }

    public BranchTest? Test { get; init; }

    public Guid? Campaign { get; init; }

    public Guid? Segment { get; init; }

    public TimeSpan? Duration { get; init; }

    public DateTime? Until { get; init; }

    public string? UntilField { get; init; }

    public IReadOnlyDictionary<string, object?> Values { get; init; } = new Dictionary<string, object?>();

    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? Subject { get; init; }

    public int DueInDays { get; init; }

    public string? Status { get; init; }

    public Guid? OwnerId { get; init; }

    /// <summary>The steps this one may lead to.</summary>
    public IEnumerable<string> Exits => new[] { Next, Then, Else }.OfType<string>();
}

/// <summary>
/// Reads a journey's steps (a JSON list, the first step is where members start) and checks they make
/// a graph that ends: known types with their settings, unique keys, every next/then/else naming a step,
/// no loop (so each step runs at most once per member, which the store's unique key then enforces).
/// </summary>
internal static partial class JourneyGraph
{
    public const string Field = "steps";

    public static readonly string[] Types = ["sendEmail", "sendSms", "wait", "branch", "updateFields", "addTags", "addToSegment", "removeFromSegment", "createActivity", "handOver"];

    /// <summary>Fields a step may not write: the module computes them, or they are the person's identity.</summary>
    private static readonly string[] Protected = ["behaviourScore", "behaviourScoredAt", "mqlAt", "id", "createdAt", "updatedAt", "marketingTags"];

    [GeneratedRegex("^[A-Za-z0-9_-]{1,60}$")]
    private static partial Regex KeyPattern();

    public static IReadOnlyList<JourneyStep> Parse(string? json, string entity)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        List<JourneyStep> steps;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw Invalid("The steps are a JSON list of step objects.");
            }

            steps = document.RootElement.EnumerateArray().Select((s, i) => Step(s, i, entity)).ToList();
        }
        catch (JsonException e)
        {
            throw new OperationException(MarketingErrors.InvalidInput, $"The steps are not JSON: {e.Message}", Field);
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in steps.Where(s => !keys.Add(s.Key)))
        {
            throw Invalid($"Two steps are called '{step.Key}'.");
        }

        foreach (var (step, exit) in steps.SelectMany(s => s.Exits.Select(x => (s, x))).Where(p => !keys.Contains(p.x)))
        {
            throw Invalid($"Step '{step.Key}' leads to '{exit}', which is not a step.");
        }

        var byKey = steps.ToDictionary(s => s.Key);
        foreach (var step in steps.Where(s => s.Test is { Kind: "opened" or "clicked" }))
        {
            if (!byKey.TryGetValue(step.Test!.Step!, out var sent) || sent.Type != "sendEmail")
            {
                throw Invalid($"Branch '{step.Key}' asks about '{step.Test.Step}', which is not a sendEmail step.");
            }
        }

        RequireNoLoop(byKey);
        return steps;
    }

    private static void RequireNoLoop(Dictionary<string, JourneyStep> steps)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        void Visit(string key, string path)
        {
            if (state.GetValueOrDefault(key) == 2)
            {
                return;
            }

            if (state.GetValueOrDefault(key) == 1)
            {
                throw Invalid($"The steps loop: {path} → {key}. A journey runs each step once per member; use a wait and a later step instead.");
            }

            state[key] = 1;
            foreach (var exit in steps[key].Exits)
            {
                Visit(exit, path.Length == 0 ? key : path + " → " + key);
            }

            state[key] = 2;
        }

        foreach (var key in steps.Keys)
        {
            Visit(key, string.Empty);
        }
    }

    private static JourneyStep Step(JsonElement json, int index, string entity)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"Step {index + 1} is not a JSON object.");
        }

        var key = Text(json, "key") is { } k && KeyPattern().IsMatch(k) ? k : throw Invalid($"Step {index + 1} needs a key of letters, digits, '-' or '_' (at most 60).");
        var type = Text(json, "type") is { } t && Types.Contains(t) ? t : throw Invalid($"Step '{key}' has type '{Text(json, "type")}'; the types are {string.Join(", ", Types)}.");
        var step = new JourneyStep(key, type) { Next = Text(json, "next") };
        string Need(string name) => Text(json, name) ?? throw Invalid($"Step '{key}' ({type}) needs '{name}'.");
        Guid Id(string name, string of) => Ids.Parse(Need(name), of) ?? throw Invalid($"Step '{key}': '{name}' is not the id of a {of}.");
        return type switch
        {
            "sendEmail" or "sendSms" => step with { Campaign = Id("campaign", "campaign") },
            "wait" => Wait(json, step),
            "branch" => step with { Next = null, Then = Need("then"), Else = Need("else"), Test = Test(json, key, entity) },
            "updateFields" => step with { Values = Values(json, key) },
            "addTags" => step with { Tags = Tags(json, key) },
            "addToSegment" or "removeFromSegment" => step with { Segment = Id("segment", "segment") },
            "createActivity" => step with { Subject = Need("subject"), DueInDays = json.TryGetProperty("dueInDays", out var d) && d.TryGetInt32(out var days) && days is >= 0 and <= 365 ? days : json.TryGetProperty("dueInDays", out _) ? throw Invalid($"Step '{key}': dueInDays is 0 to 365.") : 0 },
            _ => HandOver(json, step, entity),
        };
    }

    private static JourneyStep Wait(JsonElement json, JourneyStep step)
    {
        var duration = TimeSpan.FromDays(Number(json, "days", step.Key)) + TimeSpan.FromHours(Number(json, "hours", step.Key)) + TimeSpan.FromMinutes(Number(json, "minutes", step.Key));
        DateTime? until = Text(json, "until") is { } text
            ? DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : throw Invalid($"Step '{step.Key}': until '{text}' is not a date and time.")
            : null;
        var field = Text(json, "untilField");
        if ((duration > TimeSpan.Zero ? 1 : 0) + (until is null ? 0 : 1) + (field is null ? 0 : 1) != 1)
        {
            throw Invalid($"Step '{step.Key}' (wait) waits for a duration (days, hours, minutes), until a date (until) or until a date field of the person (untilField): exactly one.");
        }

        return step with { Duration = duration > TimeSpan.Zero ? duration : null, Until = until, UntilField = field };
    }

    private static BranchTest Test(JsonElement json, string key, string entity)
    {
        if (!json.TryGetProperty("if", out var test) || test.ValueKind != JsonValueKind.Object || test.EnumerateObject().Count() != 1)
        {
            throw Invalid($"Branch '{key}' needs \"if\": one of {{\"opened\": step}}, {{\"clicked\": step}}, {{\"filter\": {{...}}}}, {{\"score\": {{\"gte\": n}}}}.");
        }

        var (name, value) = test.EnumerateObject().Select(p => (p.Name, p.Value)).Single();
        return name switch
        {
            "opened" or "clicked" => new BranchTest(name, value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid($"Branch '{key}': '{name}' names a sendEmail step."), null),
            "filter" => new BranchTest("filter", null, Filter(value.GetRawText(), key)),
            "score" => new BranchTest("filter", null, Filter($"{{\"behaviourScore\": {value.GetRawText()}}}", key)),
            _ => throw Invalid($"Branch '{key}' can't test '{name}'; it tests opened, clicked, filter or score."),
        };
    }

    private static Condition Filter(string json, string key)
    {
        try
        {
            return FilterJson.Parse(json)!;
        }
        catch (OperationException e)
        {
            throw Invalid($"Branch '{key}': {e.Message}");
        }
    }

    private static Dictionary<string, object?> Values(JsonElement json, string key)
    {
        if (!json.TryGetProperty("values", out var values) || values.ValueKind != JsonValueKind.Object || !values.EnumerateObject().Any())
        {
            throw Invalid($"Step '{key}' (updateFields) needs \"values\": {{\"field\": value, ...}}.");
        }

        var read = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in values.EnumerateObject())
        {
            read[Protected.Contains(property.Name) ? throw Invalid($"Step '{key}' can't write '{property.Name}'.") : property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number when property.Value.TryGetInt64(out var whole) => whole,
                JsonValueKind.Number => property.Value.GetDecimal(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Null => null,
                _ => throw Invalid($"Step '{key}': '{property.Name}' takes text, a number, true/false or null."),
            };
        }

        return read;
    }

    private static List<string> Tags(JsonElement json, string key)
    {
        var tags = json.TryGetProperty("tags", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().Select(t => t.GetString() ?? string.Empty).ToList() : [];
        var known = TagFields.Tags.Select(t => t.Value).ToList();
        return tags.Count > 0 && tags.All(known.Contains) ? tags : throw Invalid($"Step '{key}' (addTags) needs \"tags\" from: {string.Join(", ", known)}.");
    }

    private static JourneyStep HandOver(JsonElement json, JourneyStep step, string entity)
    {
        if (entity != "lead")
        {
            throw Invalid($"Step '{step.Key}': only a journey of leads hands them over to sales.");
        }

        var status = Text(json, "status") ?? "contacted";
        if (status is not ("new" or "contacted" or "qualified"))
        {
            throw Invalid($"Step '{step.Key}': a lead is handed over as new, contacted or qualified.");
        }

        Guid? owner = Text(json, "ownerId") is { } text ? Guid.TryParse(text, out var id) ? id : throw Invalid($"Step '{step.Key}': ownerId is a user's id.") : null;
        return step with { Status = status, OwnerId = owner };
    }

    private static string? Text(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static int Number(JsonElement json, string name, string key) =>
        !json.TryGetProperty(name, out var value) ? 0 : value.TryGetInt32(out var n) && n is >= 0 and <= 3650 ? n : throw Invalid($"Step '{key}': '{name}' is a whole number from 0 to 3650.");

    private static OperationException Invalid(string message) => new(MarketingErrors.JourneyInvalid, message, Field);
}
