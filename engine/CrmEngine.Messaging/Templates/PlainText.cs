using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace CrmEngine.Messaging.Templates;

/// <summary>The plain-text alternative of an HTML body: its text, block elements on lines of their own, links followed by their address.</summary>
public static class PlainText
{
    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "blockquote", "pre", "hr",
    };

    public static string FromHtml(string html)
    {
        using var document = new HtmlParser().ParseDocument(html);
        return FromNode(document.Body ?? (INode)document);
    }

    /// <summary>The plain text of a parsed body (or any node): no second parse when the DOM is at hand.</summary>
    public static string FromNode(INode root)
    {
        var text = new StringBuilder();
        Append(root, text);
        var lines = text.ToString().Split('\n').Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        return string.Join('\n', Squeeze(lines)).Trim();
    }

    private static void Append(INode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText t:
                    text.Append(t.Data.Replace('\n', ' ').Replace('\r', ' ').Replace('\t', ' '));
                    break;
                case IElement e when Blocks.Contains(e.LocalName):
                    text.Append('\n');
                    Append(e, text);
                    text.Append('\n');
                    break;
                case IElement { LocalName: "a" } a when a.GetAttribute("href") is { Length: > 0 } href && href != a.TextContent.Trim():
                    Append(a, text);
                    text.Append(" (").Append(href).Append(')');
                    break;
                case IElement e:
                    Append(e, text);
                    break;
            }
        }
    }

    // At most one empty line between paragraphs.
    private static IEnumerable<string> Squeeze(IEnumerable<string> lines)
    {
        var blank = false;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                if (!blank)
                {
                    yield return line;
                }

                blank = true;
                continue;
            }

            blank = false;
            yield return line;
        }
    }
}
