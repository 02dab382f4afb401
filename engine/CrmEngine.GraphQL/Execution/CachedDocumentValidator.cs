using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser;
using GraphQLParser.AST;

namespace CrmEngine.GraphQL.Execution;

/// <summary>
/// Validation of a document that has been validated before (<see cref="ValidatedDocumentCache"/>):
/// no rule runs again, but the request's variables are coerced and the arguments and directives
/// that use them are read, as graphql-dotnet's <see cref="DocumentValidator"/> does with an empty
/// rule set. What depends on the document alone is worked out once per operation and kept with the
/// document: where its variables are used (graphql-dotnet walks the whole operation with type
/// information for that on every request) and which fields have arguments and which nodes have
/// directives (it walks the whole operation again for those). Documents not validated before,
/// and any request with rules to run, go to the standard validator.
/// </summary>
public sealed class CachedDocumentValidator(IDocumentValidator standard) : IDocumentValidator
{
    private static readonly ConditionalWeakTable<GraphQLOperationDefinition, ConcurrentDictionary<ISchema, Plan>> Plans = new();

    public Task<IValidationResult> ValidateAsync(in ValidationOptions options)
    {
        if (options.Rules is not { } rules || rules.Any() || options.Operation is not { } operation)
        {
            return standard.ValidateAsync(options);
        }

        var document = options.Document;
        var plan = Plans.GetValue(operation, _ => new()).GetOrAdd(options.Schema, s => Plan.Of(s, document, operation));
        return ValidateCachedAsync(options, plan);
    }

    private static async Task<IValidationResult> ValidateCachedAsync(ValidationOptions options, Plan plan)
    {
        var errors = new List<ValidationError>();
        var variables = Variables.None;
        if (plan.HasVariables)
        {
            var context = plan.Rent();
            try
            {
                context.Schema = options.Schema;
                context.Document = options.Document;
                context.Operation = options.Operation;
                context.Variables = options.Variables;
                context.Extensions = options.Extensions;
                context.UserContext = options.UserContext;
                context.RequestServices = options.RequestServices;
                context.User = options.User;
                context.CancellationToken = options.CancellationToken;
                context.Metrics = options.Metrics;
                (variables, var variableErrors) = await context.GetVariablesValuesAsync();
                errors.AddRange(variableErrors ?? []);
            }
            finally
            {
                plan.Return(context);
            }

            if (errors.Count > 0)
            {
                return new ValidationResult(errors) { Variables = variables };
            }
        }

        Dictionary<GraphQLField, IDictionary<string, ArgumentValue>>? arguments = null;
        foreach (var (field, definition) in plan.FieldsWithArguments)
        {
            try
            {
                if (ExecutionHelper.GetArguments(definition.Arguments, field.Arguments, variables, options.Document, field, null) is { } values)
                {
                    (arguments ??= [])[field] = values;
                }
            }
            catch (ValidationError error)
            {
                errors.Add(error);
            }
        }

        Dictionary<ASTNode, IDictionary<string, DirectiveInfo>>? directives = null;
        foreach (var node in plan.NodesWithDirectives)
        {
            try
            {
                if (ExecutionHelper.GetDirectives((IHasDirectivesNode)node, variables, options.Schema, options.Document) is { } values)
                {
                    (directives ??= [])[node] = values;
                }
            }
            catch (ValidationError error)
            {
                errors.Add(error);
            }
        }

        return new ValidationResult(errors) { Variables = variables, ArgumentValues = arguments, DirectiveValues = directives };
    }

    /// <summary>What one operation of a document needs per request, worked out once.</summary>
    private sealed class Plan
    {
        // Each keeps graphql-dotnet's record of where the operation's variables are used, which it
        // otherwise rebuilds by walking the operation on every request. Used by one request at a time.
        private readonly ConcurrentBag<ValidationContext> _contexts = [];

        public bool HasVariables { get; private init; }

        public List<(GraphQLField Field, FieldType Definition)> FieldsWithArguments { get; } = [];

        public List<ASTNode> NodesWithDirectives { get; } = [];

        public ValidationContext Rent() => _contexts.TryTake(out var context) ? context : new ValidationContext();

        public void Return(ValidationContext context)
        {
            if (_contexts.Count < 16)
            {
                _contexts.Add(context);
            }
        }

        /// <summary>The same walk as graphql-dotnet's argument parsing: the operation, each fragment once, fields under the type they are selected on.</summary>
        public static Plan Of(ISchema schema, GraphQLDocument document, GraphQLOperationDefinition operation)
        {
            var plan = new Plan { HasVariables = operation.Variables?.Count > 0 };
            var visited = new HashSet<ROM>();
            plan.Directives(operation);
            foreach (var variable in operation.Variables?.Items ?? [])
            {
                plan.Directives(variable);
            }

            var root = operation.Operation switch
            {
                OperationType.Query => schema.Query,
                OperationType.Mutation => schema.Mutation,
                OperationType.Subscription => schema.Subscription,
                _ => null,
            };
            if (root is not null)
            {
                plan.Walk(schema, document, operation.SelectionSet, root, visited);
            }

            return plan;
        }

        private void Directives(ASTNode node)
        {
            if (node is IHasDirectivesNode { Directives.Count: > 0 })
            {
                NodesWithDirectives.Add(node);
            }
        }

        private void Walk(ISchema schema, GraphQLDocument document, GraphQLSelectionSet? selection, IComplexGraphType? type, HashSet<ROM> visited)
        {
            foreach (var item in selection?.Selections ?? [])
            {
                Directives(item);
                switch (item)
                {
                    case GraphQLField field:
                        var name = field.Name.Value;
                        var definition = name == schema.TypeMetaFieldType.Name ? schema.TypeMetaFieldType
                            : name == schema.TypeNameMetaFieldType.Name ? schema.TypeNameMetaFieldType
                            : name == schema.SchemaMetaFieldType.Name ? schema.SchemaMetaFieldType
                            : type?.Fields.Find(name);
                        if (definition is null)
                        {
                            break;
                        }

                        if (field.Arguments?.Count > 0)
                        {
                            FieldsWithArguments.Add((field, definition));
                        }

                        var named = definition.ResolvedType?.GetNamedType();
                        if (named is IComplexGraphType complex)
                        {
                            Walk(schema, document, field.SelectionSet, complex, visited);
                        }
                        else if (named is UnionGraphType)
                        {
                            Walk(schema, document, field.SelectionSet, type, visited);
                        }

                        break;
                    case GraphQLInlineFragment inline:
                        Within(schema, document, inline.TypeCondition, inline.SelectionSet, type, visited);
                        break;
                    case GraphQLFragmentSpread spread when visited.Add(spread.FragmentName.Name.Value)
                        && document.FindFragmentDefinition(spread.FragmentName.Name.Value) is { } fragment:
                        Directives(fragment);
                        Within(schema, document, fragment.TypeCondition, fragment.SelectionSet, type, visited);
                        break;
                }
            }
        }

        private void Within(ISchema schema, GraphQLDocument document, GraphQLTypeCondition? condition, GraphQLSelectionSet selection, IComplexGraphType? type, HashSet<ROM> visited)
        {
            if (condition is null)
            {
                Walk(schema, document, selection, type, visited);
                return;
            }

            switch (schema.AllTypes[condition.Type.Name.Value]?.GetNamedType())
            {
                case IComplexGraphType complex:
                    Walk(schema, document, selection, complex, visited);
                    break;
                case IAbstractGraphType:
                    Walk(schema, document, selection, type, visited);
                    break;
            }
        }
    }
}
