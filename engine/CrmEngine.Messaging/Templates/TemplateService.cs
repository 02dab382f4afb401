using CrmEngine.Engine;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Errors;
using CrmEngine.Messaging.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrmEngine.Messaging.Templates;

/// <summary>What an admin saves as one language variant of a template.</summary>
public sealed record TemplateInput(string? Name, string? Language, string? Subject, string? Body);

/// <summary>
/// A tenant's message templates, for its admins: one row per name and language ("en", "zh-CN"),
/// saved only when the subject and body are valid Liquid (TEMPLATE_INVALID otherwise, nothing saved).
/// </summary>
public sealed class TemplateService(TimeProvider time)
{
    public static readonly IReadOnlyList<string> Languages = ["en", "zh-CN"];

    public async Task<IReadOnlyList<TemplateRow>> ListAsync(CrmSession session, CancellationToken cancellationToken)
    {
        MessagingAccess.RequireAdmin(session);
        await using var context = session.CreateContext();
        return await context.Set<TemplateRow>().OrderBy(t => t.Name).ThenBy(t => t.Language).ToListAsync(cancellationToken);
    }

    public async Task<TemplateRow> SaveAsync(CrmSession session, TemplateInput input, CancellationToken cancellationToken)
    {
        MessagingAccess.RequireAdmin(session);
        var errors = new List<CrmError>();
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Length > 100)
        {
            errors.Add(new CrmError(ErrorCodes.Required, "A template needs a name (at most 100 characters).", "name"));
        }

        if (input.Language is not { } language || !Languages.Contains(language))
        {
            errors.Add(new CrmError(ErrorCodes.InvalidValue, $"The language is one of {string.Join(", ", Languages)}.", "language"));
        }

        if (string.IsNullOrWhiteSpace(input.Body))
        {
            errors.Add(new CrmError(ErrorCodes.Required, "A template needs a body.", "body"));
        }

        foreach (var (field, source) in new[] { ("subject", input.Subject), ("body", input.Body) })
        {
            if (TemplateRenderer.Check(source) is { } error)
            {
                errors.Add(new CrmError(ErrorCodes.TemplateInvalid, $"The {field} is not valid Liquid: {error}", field));
            }
        }

        if (errors.Count > 0)
        {
            throw new CrmException(errors);
        }

        await using var context = session.CreateContext();
        var row = await context.Set<TemplateRow>().AsTracking().FirstOrDefaultAsync(t => t.Name == input.Name && t.Language == input.Language, cancellationToken);
        if (row is null)
        {
            row = new TemplateRow { Id = Guid.CreateVersion7(), Name = input.Name!.Trim(), Language = input.Language!, Body = string.Empty };
            context.Add(row);
        }

        row.Subject = input.Subject;
        row.Body = input.Body!;
        row.UpdatedAt = time.UtcNow();
        await context.SaveChangesAsync(cancellationToken);
        return row;
    }

    /// <summary>Deletes every language variant of a template; returns how many there were.</summary>
    public async Task<int> DeleteAsync(CrmSession session, string name, CancellationToken cancellationToken)
    {
        MessagingAccess.RequireAdmin(session);
        await using var context = session.CreateContext();
        return await context.Set<TemplateRow>().Where(t => t.Name == name).ExecuteDeleteAsync(cancellationToken);
    }
}
