using System.Diagnostics;
using AgentHost.Agents.Sessions;
using AgentHost.Agents.Tests.Support;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Agents.Tests.Sessions;

/// <summary>
/// Sessions in SQLite through the framework's seams: a child process runs two turns and is killed with SIGKILL right
/// after acknowledging the second; this process resumes the session from the file and, under greedy decoding, its
/// next reply equals that of a session that was never interrupted. Sessions are isolated per customer, and the
/// engine's prompt cache reuses the session's prefix.
/// </summary>
public class SessionResumeTests(AgentsFixture fixture) : IClassFixture<AgentsFixture>
{
    private static readonly string[] Turns = ["Hello, I need help with an order.", "It has not arrived yet.", "What should I do now?"];

    [Fact]
    public async Task ResumedAfterKill9TheNextReplyEqualsAnUninterruptedSessions()
    {
        var writer = Path.Combine(AppContext.BaseDirectory, "SessionWriter.dll");
        Assert.True(File.Exists(writer), $"test helper missing: {writer}");
        var database = fixture.Services.GetRequiredService<AgentSessionDatabase>().Path;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { writer, fixture.ModelPath, database, "chat", "killed-1", "C-1001" }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var acknowledged = new List<string>();
        try
        {
            Assert.Equal("READY", await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(3)));
            for (var i = 0; i < 2; i++)
            {
                await process.StandardInput.WriteLineAsync(Turns[i]);
                await process.StandardInput.FlushAsync();
                var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(3));
                Assert.NotNull(line);
                var parts = line!.Split(' ', 3);
                Assert.Equal(["ACK", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)], parts[..2]);
                acknowledged.Add(parts.Length > 2 ? parts[2].Replace("\\n", "\n", StringComparison.Ordinal) : "");
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true); // SIGKILL: no graceful stop, no flush
            await process.WaitForExitAsync();
        }
        Assert.NotEqual(0, process.ExitCode);

        var sessions = fixture.Sessions;
        var agent = fixture.Catalog.Get("chat");
        var resumed = await sessions.ResumeAsync("chat", "killed-1", "C-1001");
        var stored = await sessions.MessagesAsync("killed-1");
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.User, ChatRole.Assistant], stored.Select(m => m.Role));
        Assert.Equal(Turns[0], stored[0].Text);
        Assert.Equal(acknowledged[1], stored[3].Text.ReplaceLineEndings("\n"));
        var resumedReply = (await agent.RunAsync(Turns[2], resumed)).Text;

        var straight = await sessions.OpenAsync("chat", "straight-1", "C-1001");
        var replies = new List<string>();
        foreach (var turn in Turns) replies.Add((await agent.RunAsync(turn, straight)).Text);
        Assert.Equal(acknowledged, replies.Take(2).Select(r => r.ReplaceLineEndings("\n")));
        Assert.Equal(replies[2], resumedReply);
        Assert.Equal(6, (await sessions.MessagesAsync("killed-1")).Count);
    }

    [Fact]
    public async Task SessionsAreIsolatedPerCustomer()
    {
        var sessions = fixture.Sessions;
        var agent = fixture.Catalog.Get("chat");
        var mine = await sessions.OpenAsync("chat", "isolated-1", "C-1001");
        await agent.RunAsync("My secret is 42.", mine);
        await Assert.ThrowsAsync<AgentSessionNotFoundException>(() => sessions.ResumeAsync("chat", "isolated-1", "C-2002"));
        await Assert.ThrowsAsync<AgentSessionNotFoundException>(() => sessions.OpenAsync("chat", "isolated-1", "C-2002"));
        await Assert.ThrowsAsync<AgentSessionConflictException>(() => sessions.ResumeAsync("writer", "isolated-1", "C-1001"));
        var again = await sessions.ResumeAsync("chat", "isolated-1", "C-1001");
        Assert.Equal("isolated-1", sessions.Info(again).SessionId);
        Assert.Equal("C-1001", sessions.Info(again).CustomerId);
        // The framework's own serialization round-trips the identity.
        var json = await agent.SerializeSessionAsync(again);
        var restored = await agent.DeserializeSessionAsync(json);
        Assert.Equal("isolated-1", sessions.Info(restored).SessionId);
    }

    [Fact]
    public async Task ThePromptCacheReusesTheSessionsPrefix()
    {
        var agent = fixture.Catalog.Get("chat");
        var session = await fixture.Sessions.OpenAsync("chat", "cached-1", "C-3003");
        var first = await agent.RunAsync("Hello there, how are you today?", session);
        var second = await agent.RunAsync("And what about tomorrow?", session);
        var firstInput = first.Usage?.InputTokenCount ?? 0;
        var cached = Cached(second.Usage);
        Assert.True(firstInput > 10, $"first turn input {firstInput}");
        // The second prompt starts with the whole first one (instructions, first question, first reply).
        Assert.True(cached >= firstInput - 2, $"cached {cached} of {second.Usage?.InputTokenCount}, first turn input {firstInput}");
    }

    internal static long Cached(UsageDetails? usage) =>
        usage?.CachedInputTokenCount ?? (usage?.AdditionalCounts is { } counts && counts.TryGetValue("CachedInputTokens", out var c) ? c : 0);
}
