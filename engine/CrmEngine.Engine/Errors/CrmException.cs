namespace CrmEngine.Engine.Errors;

/// <summary>
/// Carries one or more <see cref="CrmError"/>s out of a deep call; the API layer turns it into
/// typed errors. Never used for bugs: an unexpected exception stays an exception.
/// </summary>
public sealed class CrmException : Exception
{
    public CrmException(CrmError error)
        : this([error])
    {
    }

    public CrmException(IReadOnlyList<CrmError> errors)
        : base(errors.Count == 0 ? "CrmEngine refused the operation." : errors[0].Message)
    {
        Errors = errors;
    }

    public CrmException(string code, string message, string? field = null)
        : this(new CrmError(code, message, field))
    {
    }

    public IReadOnlyList<CrmError> Errors { get; }

    public string Code => Errors.Count == 0 ? ErrorCodes.InvalidInput : Errors[0].Code;
}
