using CrmEngine.Plugins.Sales.Leads;

namespace CrmEngine.Plugins.Sales.Predictions;

/// <summary>
/// Lead conversion (线索转化可能性). Examples: leads that were converted (positive) or marked unqualified
/// (negative); scored: the open leads (new, contacted, qualified). Features: the source and industry
/// (one column per value met), the grade (A 4 … D 1, none 0), the rule score, whether the lead has an
/// e-mail, a phone, a company and a job title, its follow-up count, and the whole days it was open
/// (created to converted or last changed when closed, to the scoring day when open).
/// </summary>
internal static class LeadFeatures
{
    public static async Task<FeatureTable> ReadAsync(IRecordApi records, DateTime asOf, CancellationToken cancellationToken)
    {
        var activities = new Dictionary<Guid, int>();
        await foreach (var activity in records.QueryAllAsync("activity", Condition.IsNotNull("lead"), cancellationToken: cancellationToken))
        {
            if (activity.GetValue("lead") is Guid lead)
            {
                activities[lead] = activities.GetValueOrDefault(lead) + 1;
            }
        }

        var vocabulary = new FeatureVocabulary();
        var rows = new List<(Guid Id, Dictionary<int, float> Row, bool? Label)>();
        await foreach (var lead in records.QueryAllAsync(LeadEntity.Name, cancellationToken: cancellationToken))
        {
            var status = lead.GetValue<string>("status");
            bool? label = status switch { "converted" => true, "unqualified" => false, _ => null };
            if (label is null && !LeadEntity.OpenStatuses.Contains(status))
            {
                continue;
            }

            var row = vocabulary.Row();
            vocabulary.OneHot(row, "source", lead.GetValue<string>("source"));
            vocabulary.OneHot(row, "industry", lead.GetValue<string>("industry"));
            vocabulary.Set(row, "grade", lead.GetValue<string>("grade") switch { "A" => 4, "B" => 3, "C" => 2, "D" => 1, _ => 0 });
            vocabulary.Set(row, "ruleScore", lead.GetValue<long?>("score") ?? 0);
            foreach (var field in new[] { "email", "phone", "company", "title" })
            {
                vocabulary.Set(row, $"has:{field}", string.IsNullOrWhiteSpace(lead.GetValue<string>(field)) ? 0 : 1);
            }

            vocabulary.Set(row, "followUps", activities.GetValueOrDefault(lead.Id));
            var closed = label switch { true => lead.GetValue<DateTime?>("convertedAt") ?? lead.UpdatedAt, false => lead.UpdatedAt, null => asOf };
            vocabulary.Set(row, "daysOpen", (float)Math.Max(0, Math.Floor((closed - lead.CreatedAt).TotalDays)));
            rows.Add((lead.Id, row, label));
        }

        var all = rows.Select(r => new FeatureRow(r.Id, vocabulary.Dense(r.Row), r.Label)).ToList();
        return new FeatureTable(vocabulary.Names, [.. all.Where(r => r.Label is not null)], [.. all.Where(r => r.Label is null)]);
    }
}
