using CrmEngine.Sdk.Plugins;

namespace TestPlugins.NotesV1;

/// <summary>
/// Version 1 of the notes plugin: a note keeps its text in 'body', and drafts are an entity of their
/// own. Version 2 renames 'body' and no longer declares drafts.
/// </summary>
public sealed class NotesPlugin : ICrmPlugin
{
    /// <inheritdoc/>
    public void Configure(IPluginBuilder builder)
    {
        builder.Entity("note", e => e
            .Label("Note", "笔记")
            .Text("title", f => f.Label("Title", "标题").Required())
            .Text("body", f => f.Label("Body", "正文")));
        builder.Entity("noteDraft", e => e
            .Label("Note draft", "笔记草稿")
            .Text("title", f => f.Label("Title", "标题").Required()));
    }
}
