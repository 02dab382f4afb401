using System.Data.Common;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Engine.Records.Pipeline;

/// <summary>What a write's failed save means to its caller, in the store's own terms (<see cref="IStorageProvider"/>).</summary>
internal static class SaveFailures
{
    /// <summary>The typed error for what the store refused (a stale version, a unique value taken, a lookup to nothing, a collision with a concurrent write); null for any other failure.</summary>
    public static CrmError? Describe(IStorageProvider provider, EntityDefinition entity, Exception exception) => exception switch
    {
        DbUpdateConcurrencyException => new CrmError(ErrorCodes.VersionConflict, $"The {entity.Name} was changed by someone else; reload it and apply your change again."),
        // DbException: a row written by a bulk chunk's own statement (ChunkStatements), not by EF.
        DbUpdateException or DbException when provider.IsUniqueViolation(exception) => new CrmError(ErrorCodes.UniqueViolation, $"Another {entity.Name} already has one of these unique values."),
        DbUpdateException or DbException when provider.IsForeignKeyViolation(exception) => new CrmError(ErrorCodes.LookupNotFound, "A lookup points to a record that does not exist."),
        _ when provider.IsConcurrencyConflict(exception) => new CrmError(ErrorCodes.VersionConflict, $"The {entity.Name} was written by someone else at the same moment; reload it and apply your change again."),
        _ => null,
    };
}
