using System.Linq.Expressions;
using CrmEngine.Engine.Records.Querying;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace CrmEngine.Engine.Storage.Queries;

/// <summary>
/// The part of EF's parameter extraction our own query trees need, without EF's general
/// funcletizer: every operand arrives as <c>holder.Value</c> (<see cref="PredicateBuilder.Parameter"/>)
/// and becomes a query parameter; query roots are detached from their provider; constants given to
/// <see cref="Queryable"/> operators outside lambdas (Take counts) become parameters, as EF makes them.
/// The funcletizer reflects over every method call's parameters on every execution, which profiling
/// put at a sixth of a page's read. Any node it does not know (closures, calls it would evaluate on
/// the client, static members) makes it give up, and EF's own extraction runs instead.
/// </summary>
public sealed class OperandExtractor : ExpressionVisitor
{
    private readonly List<(string Name, object? Value)> _parameters = [];
    private readonly Dictionary<object, QueryParameterExpression> _byHolder = new(ReferenceEqualityComparer.Instance);
    private int _lambdas;
    private bool _queryableArgument;
    private bool _failed;

    /// <summary>The tree with its operands as parameters (added to <paramref name="parameters"/>), or null when it holds something only EF's extraction may handle.</summary>
    public static Expression? TryExtract(Expression query, Dictionary<string, object?> parameters)
    {
        var extractor = new OperandExtractor();
        var result = extractor.Visit(query);
        if (extractor._failed)
        {
            return null;
        }

        foreach (var (name, value) in extractor._parameters)
        {
            parameters[name] = value;
        }

        return result;
    }

    public override Expression? Visit(Expression? node) => _failed || node is null ? node : base.Visit(node);

    protected override Expression VisitMember(MemberExpression node)
    {
        if (node.Expression is ConstantExpression { Value: IValueHolder holder })
        {
            if (!_byHolder.TryGetValue(holder, out var parameter))
            {
                parameter = new QueryParameterExpression("__p_" + _parameters.Count, node.Type);
                _byHolder[holder] = parameter;
                _parameters.Add((parameter.Name, holder.Value));
            }

            return parameter;
        }

        // Members of constants and static members are evaluated by EF on the client.
        return node.Expression is null or ConstantExpression ? Fail(node) : base.VisitMember(node);
    }

    protected override Expression VisitConstant(ConstantExpression node)
    {
        if (node.Value is not null && !IsPlain(node.Type))
        {
            return Fail(node);
        }

        if (_lambdas == 0 && _queryableArgument)
        {
            var parameter = new QueryParameterExpression("__p_" + _parameters.Count, node.Type);
            _parameters.Add((parameter.Name, node.Value));
            return parameter;
        }

        return _lambdas == 0 ? Fail(node) : node;
    }

    protected override Expression VisitLambda<T>(Expression<T> node)
    {
        _lambdas++;
        var result = base.VisitLambda(node);
        _lambdas--;
        return result;
    }

    protected override Expression VisitMethodCall(MethodCallExpression node)
    {
        if (node.Method.DeclaringType == typeof(EF) && node.Method.Name != nameof(EF.Property))
        {
            return Fail(node);
        }

        if ((node.Object is null || IsOperand(node.Object)) && node.Arguments.All(IsOperand))
        {
            // Nothing in it depends on a row: EF would evaluate it on the client.
            return Fail(node);
        }

        var outer = _queryableArgument;
        _queryableArgument = _lambdas == 0 && node.Method.DeclaringType == typeof(Queryable);
        var result = base.VisitMethodCall(node);
        _queryableArgument = outer;
        return result;
    }

    protected override Expression VisitExtension(Expression node) =>
        node is QueryRootExpression root ? root.DetachQueryProvider() : Fail(node);

    protected override Expression VisitInvocation(InvocationExpression node) => Fail(node);

    protected override Expression VisitBlock(BlockExpression node) => Fail(node);

    protected override Expression VisitIndex(IndexExpression node) => Fail(node);

    protected override Expression VisitListInit(ListInitExpression node) => Fail(node);

    protected override Expression VisitDefault(DefaultExpression node) => Fail(node);

    protected override Expression VisitDynamic(DynamicExpression node) => Fail(node);

    private Expression Fail(Expression node)
    {
        _failed = true;
        return node;
    }

    private static bool IsOperand(Expression argument) =>
        argument is ConstantExpression || (argument is MemberExpression { Expression: ConstantExpression });

    private static bool IsPlain(Type type)
    {
        var core = Nullable.GetUnderlyingType(type) ?? type;
        return core.IsPrimitive || core.IsEnum || core == typeof(string) || core == typeof(decimal) || core == typeof(DateTime) || core == typeof(DateOnly) || core == typeof(Guid);
    }
}
