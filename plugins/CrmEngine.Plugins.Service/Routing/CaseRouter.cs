namespace CrmEngine.Plugins.Service.Routing;

/// <summary>An agent as routing sees them: what they can handle, whether they are there, and how loaded they are.</summary>
internal sealed record AgentCandidate(Guid UserId, Guid AgentId, string Name, string Presence, IReadOnlySet<string> Skills, IReadOnlySet<string> Languages, int OpenCases, int Load, long MaxOpenCases, DateTime? LastAssignedAt);

/// <summary>Who gets a case, and why, in words an agent or a customer can check.</summary>
internal sealed record RoutingDecision(AgentCandidate? Agent, string Reason);

/// <summary>
/// "The most competent idle agent": of the agents online who have every skill the case needs and
/// speak its language, and are under their cap of open cases, the one with the least load (open
/// cases weighted by priority: low 1, normal 2, high 3, urgent 4); on a tie, the one who waited
/// longest since their last assignment (round robin), then by name. The reason names the winner's
/// figures, the runners-up, and why every other agent was left out.
/// </summary>
internal static class CaseRouter
{
    public static readonly IReadOnlyDictionary<string, int> PriorityWeights = new Dictionary<string, int> { ["low"] = 1, ["normal"] = 2, ["high"] = 3, ["urgent"] = 4 };

    public static RoutingDecision Choose(IReadOnlyList<AgentCandidate> agents, IReadOnlySet<string> skills, string? language)
    {
        var excluded = new List<string>();
        var eligible = new List<AgentCandidate>();
        foreach (var agent in agents.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            var missing = skills.Where(s => !agent.Skills.Contains(s)).Order(StringComparer.Ordinal).ToList();
            var why = agent.Presence != "online" ? agent.Presence
                : missing.Count > 0 ? "lacks " + string.Join(", ", missing)
                : language is not null && !agent.Languages.Contains(language) ? "doesn't speak " + language
                : agent.OpenCases >= agent.MaxOpenCases ? $"at cap ({agent.OpenCases}/{agent.MaxOpenCases})"
                : null;
            if (why is null)
            {
                eligible.Add(agent);
            }
            else
            {
                excluded.Add($"{agent.Name} {why}");
            }
        }

        var ranked = eligible.OrderBy(a => a.Load).ThenBy(a => a.LastAssignedAt ?? DateTime.MinValue).ThenBy(a => a.Name, StringComparer.Ordinal).ToList();
        var needs = (skills.Count > 0 ? "skills " + string.Join(", ", skills.Order(StringComparer.Ordinal)) : "no skills") + (language is null ? string.Empty : $", language {language}");
        var left = excluded.Count > 0 ? "; excluded: " + string.Join("; ", excluded) : string.Empty;
        if (ranked.Count == 0)
        {
            return new(null, $"No agent can take it (needs {needs}){left}.");
        }

        var chosen = ranked[0];
        var others = ranked.Count > 1 ? "; others: " + string.Join(", ", ranked.Skip(1).Select(a => $"{a.Name} load {a.Load}")) : string.Empty;
        return new(chosen, $"{chosen.Name}: online, has {needs}, load {chosen.Load} ({chosen.OpenCases} open) is the lowest{others}{left}.");
    }

    /// <summary>A comma-separated list of skills as keys: trimmed, lower case, without blanks or repeats.</summary>
    public static IReadOnlySet<string> Skills(string? list) =>
        (list ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
}
