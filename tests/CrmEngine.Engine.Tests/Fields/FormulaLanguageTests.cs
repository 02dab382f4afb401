using System.Data.Common;
using CrmEngine.Engine.Errors;
using CrmEngine.Engine.Fields.Formulas;
using CrmEngine.Engine.Metadata;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CrmEngine.Engine.Tests.Fields;

/// <summary>
/// The formula language's core: the parser's precedence and bounds, the checker's types and typed
/// refusals, the SQL each dialect gets, and the values the run's store computes from that SQL
/// (SQLite in the SQLite pass, PostgreSQL in the PostgreSQL pass), hand-computed.
/// </summary>
public sealed class FormulaLanguageTests
{
    private static readonly EntityDefinition Account = Entity("account", Field("name", FieldType.Text), Field("industry", FieldType.Text), Lookup("parent", "account"));

    private static readonly EntityDefinition Deal = Entity("deal",
        Field("name", FieldType.Text), Field("amount", FieldType.Decimal), Field("discount", FieldType.Integer), Field("closeDate", FieldType.Date),
        Field("won", FieldType.Boolean), Field("tags", FieldType.MultiPicklist), Lookup("account", "account"),
        Field("twice", FieldType.Formula) with { Formula = new FormulaDefinition { Expression = "amount * 2", ResultType = FieldType.Decimal } },
        Field("ping", FieldType.Formula) with { Formula = new FormulaDefinition { Expression = "pong + 1", ResultType = FieldType.Integer } },
        Field("pong", FieldType.Formula) with { Formula = new FormulaDefinition { Expression = "ping + 1", ResultType = FieldType.Integer } });

    private static readonly MetadataSnapshot Snapshot = new(1, [Account, Deal]);

    private static CheckedFormula Check(string expression) =>
        FormulaChecker.Check(Deal, Snapshot, Field("f", FieldType.Formula) with { Formula = new FormulaDefinition { Expression = expression } });

    private static string Sql(string expression, SqlDialect dialect)
    {
        var sql = new FormulaSql(dialect);
        return sql.Compile(Check(expression).Tree, c => sql.ColumnOf("t", c));
    }

    [Theory]
    [InlineData("1 + 2 * 3 - 4", "((1 + (2 * 3)) - 4)")]
    [InlineData("NOT 1 = 2 AND 3 < 4 OR 5 >= 6", "(((NOT (1 = 2)) AND (3 < 4)) OR (5 >= 6))")]
    [InlineData("-(1 - 2) * 3", "((-(1 - 2)) * 3)")]
    public void Operators_bind_by_precedence(string expression, string sqlite)
    {
        Assert.Equal(sqlite, Sql(expression, SqlDialect.Sqlite));
    }

    [Theory]
    [InlineData("amount * (1 - discount / 100)", FormulaType.Decimal)]
    [InlineData("discount * 2 + 1", FormulaType.Integer)]
    [InlineData("IF(won, name, \"lost\")", FormulaType.Text)]
    [InlineData("COALESCE(discount, 0.5)", FormulaType.Decimal)]
    [InlineData("account.industry = \"retail\"", FormulaType.Boolean)]
    [InlineData("ADDDAYS(closeDate, discount)", FormulaType.Date)]
    [InlineData("DATEDIFF(closeDate, createdAt, \"day\")", FormulaType.Integer)]
    [InlineData("twice / 2", FormulaType.Decimal)]
    public void The_checker_infers_the_result_type(string expression, FormulaType type)
    {
        Assert.Equal(type, Check(expression).Tree.Type);
    }

    [Fact]
    public void A_formula_of_the_record_is_read_as_its_expression_and_its_reads_count_as_the_readers()
    {
        var formula = Check("IF(account.industry = \"x\", twice, 0)");
        Assert.Equal(["account", "amount", "twice"], formula.Reads.Order(StringComparer.Ordinal));
        var remote = Assert.Single(formula.Remote);
        Assert.Equal(("account", "account"), (remote.Lookup, remote.Target));
        Assert.Equal(["industry"], remote.Fields);
        Assert.Equal("(CASE WHEN ((SELECT fl0.\"industry\" FROM \"account\" AS fl0 WHERE fl0.\"id\" = t.\"account_id\") = 'x') THEN (CAST(t.\"amount\" AS REAL) * 2) ELSE 0 END)",
            Sql("IF(account.industry = \"x\", twice, 0)", SqlDialect.Sqlite));
    }

    [Fact]
    public void Each_dialect_divides_as_decimals_and_reads_sqlite_decimals_as_numbers()
    {
        Assert.Equal("(CAST(t.\"amount\" AS REAL) * (1 - (CAST(t.\"discount\" AS REAL) / NULLIF(100, 0))))", Sql("amount * (1 - discount / 100)", SqlDialect.Sqlite));
        Assert.Equal("(t.\"amount\" * (1 - (CAST(t.\"discount\" AS numeric) / NULLIF(100, 0))))", Sql("amount * (1 - discount / 100)", SqlDialect.Postgres));
        Assert.Equal("(CAST(t.\"discount\" AS numeric) + 1)", Sql("discount + 1", SqlDialect.Postgres));
        Assert.Equal("CHAR_LENGTH(t.\"name\")", Sql("LEN(name)", SqlDialect.Postgres));
    }

    [Theory]
    [InlineData("amount * (1 - ", FormulaErrors.Syntax)]
    [InlineData("amount $ 2", FormulaErrors.Syntax)]
    [InlineData("\"open", FormulaErrors.Syntax)]
    [InlineData("SQRT(amount)", FormulaErrors.Syntax)]
    [InlineData("IF(won, 1)", FormulaErrors.Syntax)]
    [InlineData("amount * tax", ErrorCodes.UnknownField)]
    [InlineData("account.revenue", ErrorCodes.UnknownField)]
    [InlineData("name + 1", FormulaErrors.TypeMismatch)]
    [InlineData("amount / name", FormulaErrors.TypeMismatch)]
    [InlineData("closeDate > createdAt", FormulaErrors.TypeMismatch)]
    [InlineData("won < won", FormulaErrors.TypeMismatch)]
    [InlineData("IF(amount, 1, 2)", FormulaErrors.TypeMismatch)]
    [InlineData("tags", FormulaErrors.TypeMismatch)]
    [InlineData("account", FormulaErrors.TypeMismatch)]
    [InlineData("name.industry", FormulaErrors.TypeMismatch)]
    [InlineData("DATEDIFF(closeDate, closeDate, \"fortnight\")", FormulaErrors.TypeMismatch)]
    [InlineData("DATE(\"2026-02-30\")", FormulaErrors.TypeMismatch)]
    [InlineData("ping", FormulaErrors.Cycle)]
    [InlineData("account.parent.name", FormulaErrors.TooDeep)]
    [InlineData("NOW()", ErrorCodes.InvalidDefinition)]
    public void A_bad_formula_is_refused_with_its_code(string expression, string code)
    {
        var refused = Assert.Throws<CrmException>(() => Check(expression));
        Assert.Equal(code, refused.Errors[0].Code);
    }

    [Fact]
    public void The_text_nesting_and_operator_count_are_bounded()
    {
        Assert.Equal(FormulaErrors.TooDeep, Assert.Throws<CrmException>(() => FormulaParser.Parse(new string(' ', FormulaParser.MaxLength) + "1")).Errors[0].Code);
        Assert.Equal(FormulaErrors.TooDeep, Assert.Throws<CrmException>(() => FormulaParser.Parse(new string('(', 31) + "1" + new string(')', 31))).Errors[0].Code);
        Assert.Equal(FormulaErrors.TooDeep, Assert.Throws<CrmException>(() => FormulaParser.Parse(string.Join("+", Enumerable.Repeat("1", 202)))).Errors[0].Code);
        FormulaParser.Parse(new string('(', 30) + "1" + new string(')', 30));
        FormulaParser.Parse(string.Join("+", Enumerable.Repeat("1", 201)));
    }

    public static TheoryData<string, object?> Values => new()
    {
        { "7 / 2", 3.5m },
        { "1 / 0", null },
        { "10 / 4 * 2", 5m },
        { "2 + 3 * 4", 14L },
        { "-(2 - 5)", 3L },
        { "9223372036854775807 + 1", null },
        { "CONCAT(\"a\", NULL, \"b\")", "ab" },
        { "'it''s'", "it's" },
        { "UPPER(\"abc\")", "ABC" },
        { "LEN(\"héllo\")", 5L },
        { "LEFT(\"abcdef\", 3)", "abc" },
        { "ROUND(2 / 3, 2)", 0.67m },
        { "ABS(-2.5)", 2.5m },
        { "IF(1 > 2, \"x\", \"y\")", "y" },
        { "IF(NULL > 1, 1, 2)", 2L },
        { "CASE(1 > 2, \"a\", 2 > 1, \"b\", \"c\")", "b" },
        { "COALESCE(NULL, 5)", 5L },
        { "ISBLANK(\"\")", true },
        { "NOT (1 = 1) OR 2 <> 2", false },
        { "DATEDIFF(DATE(\"2026-03-01\"), DATE(\"2026-02-01\"), \"day\")", 28L },
        { "DATEDIFF(DATE(\"2026-01-01\"), DATE(\"2026-01-02\"), \"hour\")", -24L },
        { "ADDDAYS(DATE(\"2026-02-27\"), 2)", new DateOnly(2026, 3, 1) },
        { "YEAR(DATE(\"2026-02-27\")) * 100 + MONTH(DATE(\"2026-02-27\"))", 202602L },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public async Task The_store_computes_what_the_formula_says(string expression, object? expected)
    {
        var dialect = TestStorage.IsPostgres ? SqlDialect.Postgres : SqlDialect.Sqlite;
        var formula = Check(expression);
        await using DbConnection connection = dialect == SqlDialect.Postgres
            ? new NpgsqlConnection(TestStorage.ServerConnectionString)
            : new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT " + new FormulaSql(dialect).Compile(formula.Tree, _ => throw new InvalidOperationException("No columns here."));
        Assert.Equal(expected, FormulaValues.Stored(await command.ExecuteScalarAsync(), formula.Tree.Type, FormulaValues.DefaultScale));
    }
}
