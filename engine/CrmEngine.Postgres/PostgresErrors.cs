using Npgsql;

namespace CrmEngine.Postgres;

/// <summary>The SQLSTATE codes the engine tells apart, and how to find them in an exception chain.</summary>
internal static class PostgresErrors
{
    public const string UniqueViolation = "23505";
    public const string ForeignKeyViolation = "23503";
    public const string SerializationFailure = "40001";
    public const string DeadlockDetected = "40P01";
    public const string DuplicateSchema = "42P06";
    public const string InvalidSchemaName = "3F000";
    public const string UndefinedTable = "42P01";

    public static PostgresException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException postgres)
            {
                return postgres;
            }
        }

        return null;
    }

    public static bool Is(Exception exception, params string[] states) => Find(exception) is { } e && states.Contains(e.SqlState);
}
