using CrmEngine.Sdk.Plugins;

namespace TestPlugins.NotesV2;

/// <summary>Version 2 of the notes plugin: 'body' became 'text' (moved by <see cref="BodyToText"/>), and upgrades are logged.</summary>
public sealed class NotesPlugin : ICrmPlugin
{
    /// <inheritdoc/>
    public void Configure(IPluginBuilder builder)
    {
        builder.Entity("note", e => e
            .Label("Note", "笔记")
            .Text("title", f => f.Label("Title", "标题").Required())
            .Text("text", f => f.Label("Text", "正文")));
        builder.Entity("noteUpgrade", e => e
            .Label("Note upgrade", "笔记升级")
            .Text("message", f => f.Label("Message", "消息").Required()));
    }
}
