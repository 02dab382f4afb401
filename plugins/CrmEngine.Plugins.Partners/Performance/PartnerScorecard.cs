using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Performance;

/// <summary><c>partnerScorecard(period)</c>: every partner's figures, score and rank for a period (channel managers and admins).</summary>
internal sealed class PartnerScorecard : IPluginOperation
{
    public static readonly TypeRef Row = TypeRef.Object("PartnerScore",
        new FieldRef("rank", TypeRef.Int.NonNull()),
        new FieldRef("partnerId", TypeRef.Id.NonNull()),
        new FieldRef("partnerName", TypeRef.String.NonNull()),
        new FieldRef("tier", TypeRef.String),
        new FieldRef("score", TypeRef.Decimal.NonNull(), "0 to 100: the weighted figures."),
        new FieldRef("revenueSourced", TypeRef.Decimal.NonNull(), "Collected in the period on deals it sourced."),
        new FieldRef("revenueInfluenced", TypeRef.Decimal.NonNull(), "Collected in the period on deals it influenced."),
        new FieldRef("registrationsSubmitted", TypeRef.Int.NonNull()),
        new FieldRef("registrationsApproved", TypeRef.Int.NonNull()),
        new FieldRef("registrationsWon", TypeRef.Int.NonNull()),
        new FieldRef("winRate", TypeRef.Decimal, "% of its opportunities closed in the period that were won; null when none closed."),
        new FieldRef("cycleDays", TypeRef.Decimal, "Average days from submitting a registration to winning its deal."),
        new FieldRef("attainment", TypeRef.Decimal, "% of its revenue target; null without a target."),
        new FieldRef("activeCertifications", TypeRef.Int.NonNull()));

    public string Name => "partnerScorecard";

    public OperationKind Kind => OperationKind.Query;

    public string Description => "Every partner's performance in a period: revenue, registrations, win rate, cycle length, attainment, certifications, weighted score and rank.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("period", TypeRef.String.NonNull(), "2027, 2027-H1, 2027-Q3 or 2027-05.")];

    public TypeRef Result => TypeRef.ListOf(Row.NonNull()).NonNull();

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        ChannelManagers.Require(context);
        var period = Period.Parse(context.Argument<string>("period"), "period");
        return (await Scorecard.ComputeAsync(context.PrivilegedRecords, context.Settings, period, cancellationToken)).Select(s => s.ToResult()).ToList();
    }
}
