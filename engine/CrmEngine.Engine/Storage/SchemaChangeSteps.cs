using Microsoft.EntityFrameworkCore.Metadata;

namespace CrmEngine.Engine.Storage;

/// <summary>
/// The order every provider runs a schema change in, inside its one transaction: the work on the
/// old model (reading and converting data), the DDL, then the work on the new model.
/// </summary>
public static class SchemaChangeSteps
{
    /// <summary>Runs <paramref name="before"/> on a context over <paramref name="oldModel"/>, then <paramref name="ddl"/>, then <paramref name="after"/> on a context over <paramref name="newModel"/>; <paramref name="contextOn"/> makes those contexts on the change's connection and transaction.</summary>
    public static async Task RunAsync(Func<IModel, TenantDbContext> contextOn, IModel? oldModel, IModel newModel,
        Func<TenantDbContext, Task>? before, Func<Task> ddl, Func<TenantDbContext, Task>? after)
    {
        if (before is not null && oldModel is not null)
        {
            await using var context = contextOn(oldModel);
            await before(context);
        }

        await ddl();
        if (after is not null)
        {
            await using var context = contextOn(newModel);
            await after(context);
        }
    }
}
