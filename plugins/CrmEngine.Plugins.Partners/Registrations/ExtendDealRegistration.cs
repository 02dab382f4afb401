using CrmEngine.Plugins.Partners.Common;
using CrmEngine.Sdk.Operations;

namespace CrmEngine.Plugins.Partners.Registrations;

/// <summary>
/// <c>extendDealRegistration(id, days)</c>: moves an approved registration's protection end on by
/// <c>days</c> (the tenant's extensionDays when left out), as often as maxExtensions allows, and only
/// while it is still protected: an expired registration is registered again.
/// </summary>
internal sealed class ExtendDealRegistration : IPluginOperation
{
    public string Name => "extendDealRegistration";

    public OperationKind Kind => OperationKind.Mutation;

    public string Description => "Extends an approved registration's protection by days (default: the tenant's extensionDays), up to maxExtensions times.";

    public IReadOnlyList<OperationArgument> Arguments { get; } = [new("id", TypeRef.Id.NonNull(), "The registration."), new("days", TypeRef.Int, "1 to 365.")];

    public TypeRef Result => TypeRef.Entity(RegistrationEntities.Registration);

    public async Task<object?> ExecuteAsync(IOperationContext context, CancellationToken cancellationToken)
    {
        var registration = await Writes.ExistingAsync(context, RegistrationEntities.Registration, "id", cancellationToken);
        var days = context.Argument<int?>("days") ?? await PartnerSettings.DaysAsync(context.Settings, PartnerSettings.ExtensionDays, cancellationToken);
        if (days is < 1 or > 365)
        {
            throw new OperationException(PartnerErrors.InvalidInput, "An extension is 1 to 365 days.", "days");
        }

        var until = Protection.Require(registration);
        var extensions = registration.GetValue<long?>("extensionCount") ?? 0;
        var allowed = await PartnerSettings.DaysAsync(context.Settings, PartnerSettings.MaxExtensions, cancellationToken);
        if (extensions >= allowed)
        {
            throw new OperationException(PartnerErrors.ExtensionLimit, $"Registration {registration.GetValue<string>("number")} was extended {extensions} time(s); {allowed} allowed.", "id");
        }

        return await Writes.RequireAsync(context.Records.UpdateAsync(RegistrationEntities.Registration, registration.Id, new FieldValues
        {
            ["protectedUntil"] = until.AddDays(days),
            ["extensionCount"] = extensions + 1,
        }, registration.Version, cancellationToken), "id");
    }
}

/// <summary>What an approved registration's protection allows.</summary>
internal static class Protection
{
    /// <summary>The day the protection ends; refuses a registration that isn't approved or whose protection has ended.</summary>
    public static DateOnly Require(CrmRecord registration)
    {
        var status = registration.GetValue<string>("status");
        if (status == "expired" || (status == "approved" && registration.GetValue<DateOnly?>("protectedUntil") < PartnerSettings.Today(DateTime.UtcNow)))
        {
            throw new OperationException(PartnerErrors.RegistrationExpired, $"Registration {registration.GetValue<string>("number")}'s protection ended on {registration.GetValue<DateOnly?>("protectedUntil"):yyyy-MM-dd}.", "id");
        }

        if (status != "approved")
        {
            throw new OperationException(PartnerErrors.InvalidState, $"Registration {registration.GetValue<string>("number")} is {status}; only approved registrations are extended or converted.", "id");
        }

        return registration.GetValue<DateOnly>("protectedUntil");
    }
}
