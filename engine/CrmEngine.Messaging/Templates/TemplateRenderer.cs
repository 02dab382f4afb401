using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using CrmEngine.Engine.Errors;
using AngleSharp;
using Fluid;
using Fluid.Values;
using Ganss.Xss;

namespace CrmEngine.Messaging.Templates;

/// <summary>What a template gave for one recipient: the subject, the sanitized HTML (e-mail) and the plain text.</summary>
public sealed record RenderedMessage(string? Subject, string? Html, string Text);

/// <summary>
/// Liquid templates (Fluid): parsed once and kept by source, rendered over the merge model
/// (<c>record</c>, its lookups as nested objects), HTML values encoded as they are merged, the result
/// sanitized (scripts, event handlers and foreign URLs schemes removed) and turned into the plain-text alternative.
/// </summary>
public sealed class TemplateRenderer
{
    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = new TemplateOptionsBuilder().WithMaxSteps(100_000).WithMaxRecursion(20).WithMaxOutputSize(1_000_000).WithCultureInfo(System.Globalization.CultureInfo.InvariantCulture).Build();
    private readonly ConcurrentDictionary<string, IFluidTemplate> _parsed = new(StringComparer.Ordinal);
    private readonly HtmlSanitizer _sanitizer = new();

    /// <summary>Null when <paramref name="source"/> is valid Liquid; the parser's message when not.</summary>
    public static string? Check(string? source) =>
        source is null || Parser.TryParse(source, out _, out var error) ? null : error;

    /// <summary>Renders an e-mail (HTML body) or a text message (SMS, webhook) for the merge model.</summary>
    public async Task<RenderedMessage> RenderAsync(string? subject, string body, bool html, IReadOnlyDictionary<string, object?> model)
    {
        var renderedSubject = subject is null ? null : Collapse(await RenderAsync(subject, model, NullEncoder.Default));
        if (!html)
        {
            return new RenderedMessage(renderedSubject, null, (await RenderAsync(body, model, NullEncoder.Default)).Trim());
        }

        var (sanitized, text) = SanitizeWithText(await RenderAsync(body, model, HtmlEncoder.Default));
        return new RenderedMessage(renderedSubject, sanitized, text);
    }

    /// <summary>A JSON document from a Liquid template (an SMS gateway's body): merged values are JSON-string-escaped.</summary>
    public Task<string> RenderJsonAsync(string template, IReadOnlyDictionary<string, object?> model) => RenderAsync(template, model, JavaScriptEncoder.Default);

    /// <summary>HTML with what could run or track removed (scripts, handlers, javascript: URLs, forms).</summary>
    public string Sanitize(string html) => _sanitizer.Sanitize(html);

    /// <summary>
    /// The sanitized HTML and its plain-text alternative from one parse: the text is read off the
    /// sanitized DOM itself (parsing is most of a message's cost when thousands are queued at once).
    /// </summary>
    public (string Html, string Text) SanitizeWithText(string html)
    {
        using var document = _sanitizer.SanitizeDom(html);
        return document.Body is { } body
            ? (body.ChildNodes.ToHtml(_sanitizer.OutputFormatter), PlainText.FromNode(body))
            : (string.Empty, string.Empty);
    }

    private async Task<string> RenderAsync(string source, IReadOnlyDictionary<string, object?> model, TextEncoder encoder)
    {
        var template = _parsed.GetOrAdd(source, static s => Parser.TryParse(s, out var t, out var error)
            ? t
            : throw new CrmException(ErrorCodes.TemplateInvalid, "The template no longer parses: " + error, "template"));
        var context = new TemplateContext(Options, StringComparer.Ordinal);
        foreach (var (name, value) in model)
        {
            context.SetValue(name, FluidValue.Create(value, Options));
        }

        return await template.RenderAsync(context, encoder);
    }

    // A subject is one line: header injection is impossible and mail clients show it whole.
    private static string Collapse(string text) => string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim())).Trim();
}
