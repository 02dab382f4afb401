using CrmEngine.Engine.Records;

namespace CrmEngine.Host.Tests.Support;

/// <summary>
/// Sends one mutation on a record the caller may not see and on a made-up id of the same entity, and
/// requires the same answer: status, body to the byte (each id replaced by one marker, in every form
/// a message may name it), and, when counted, the same number of record-table commands.
/// </summary>
public static class MadeUpIdComparison
{
    /// <param name="caller">Who sends it.</param>
    /// <param name="mutation">A mutation whose $id variable takes the id (and $me, when given, <paramref name="me"/>).</param>
    /// <param name="hiddenId">The global id of a record the caller may not see.</param>
    /// <param name="me">The caller's user id, for mutations that use $me.</param>
    /// <param name="commands">The host's command counter, to compare the work each took.</param>
    public static async Task AssertAnsweredAsMadeUpAsync(TenantClient caller, string mutation, string hiddenId, string? me = null, CommandCounter? commands = null)
    {
        Assert.True(GlobalId.TryDecode(hiddenId, out var entity, out _));
        var madeUp = GlobalId.Encode(entity, Guid.CreateVersion7());

        commands?.Reset();
        var forHidden = await caller.PostAsync(mutation, Variables(hiddenId, me));
        var hiddenCommands = commands?.Count;
        commands?.Reset();
        var forMadeUp = await caller.PostAsync(mutation, Variables(madeUp, me));
        var madeUpCommands = commands?.Count;

        // Both are refused by the write itself (its userErrors), not by the request's validation.
        Assert.True(forMadeUp.Errors is null, forMadeUp.Raw);
        Assert.NotEmpty(forMadeUp.Data!.AsObject().Single().Value!["userErrors"]!.AsArray());
        Assert.Equal(forMadeUp.Status, forHidden.Status);
        Assert.Equal(Normalize(forMadeUp.Raw, madeUp), Normalize(forHidden.Raw, hiddenId));
        Assert.Equal(madeUpCommands, hiddenCommands);
    }

    private static object Variables(string id, string? me) => me is null ? new { id } : new { id, me };

    private static string Normalize(string body, string globalId)
    {
        Assert.True(GlobalId.TryDecode(globalId, out _, out var uuid));
        return body.Replace(globalId, "<id>", StringComparison.Ordinal)
            .Replace(uuid.ToString("D"), "<id>", StringComparison.OrdinalIgnoreCase)
            .Replace(uuid.ToString("N"), "<id>", StringComparison.OrdinalIgnoreCase);
    }
}
