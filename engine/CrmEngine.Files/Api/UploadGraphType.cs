using CrmEngine.Files.Uploads;
using GraphQL.Types;
using GraphQLParser.AST;

namespace CrmEngine.Files.Api;

/// <summary>
/// The <c>Upload</c> scalar of the GraphQL multipart request spec: a file part of the request, which
/// the transport staged and put in the variables where the request's map said. It can only come
/// through variables (never a literal), and is never sent back.
/// </summary>
public sealed class UploadGraphType : ScalarGraphType
{
    public UploadGraphType()
    {
        Name = "Upload";
        Description = "A file sent as a part of a multipart request (the GraphQL multipart request spec: operations, map, then the files), given as a variable.";
    }

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        StagedFile file => file,
        _ => ThrowValueConversionError(value),
    };

    public override object? ParseLiteral(GraphQLValue value) => value is GraphQLNullValue ? null : ThrowLiteralConversionError(value, "A file can only be sent as a variable of a multipart request.");

    public override bool CanParseLiteral(GraphQLValue value) => value is GraphQLNullValue;

    public override bool CanParseValue(object? value) => value is null or StagedFile;

    public override object? Serialize(object? value) => null;
}
