using System.Text.RegularExpressions;
using AgentHost.Agents.Tests.Support;

namespace AgentHost.Agents.Tests.Samples;

/// <summary>
/// The README's main-job command (set-up step 1), taken from the README itself and run through the built CLI from
/// the repository root over stories260K: an agent at work over the local model, which prints a reply and exits 0.
/// </summary>
public partial class ReadmeMainJobTests
{
    private const string Prefix = "dotnet run --project src/AgentHost.Cli -c Release -- ";

    [GeneratedRegex(@"^# 1\..*\n(?<command>dotnet run [^\n]+)$", RegexOptions.Multiline)]
    private static partial Regex MainJob();

    /// <summary>The arguments after `--` of the README's step 1, with ../shared/models pointed at this checkout's models.</summary>
    private static string[] MainJobArguments()
    {
        var match = MainJob().Match(File.ReadAllText(Path.Combine(TestAssets.RepoRoot, "README.md")));
        Assert.True(match.Success, "README.md: no '# 1.' command line in the set-up section");
        var command = match.Groups["command"].Value.Trim();
        Assert.StartsWith(Prefix, command);
        return command[Prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(a => a.StartsWith("../shared/models/", StringComparison.Ordinal) ? Path.Combine(TestAssets.SharedModels, a["../shared/models/".Length..]) : a)
            .ToArray();
    }

    [Fact]
    public async Task TheMainJobCommandRunsAnAgentAndPrintsItsReply()
    {
        var args = MainJobArguments();
        Assert.Equal(["agent", "run"], args[..2]);
        _ = TestAssets.Stories260K;
        var env = SampleProcess.Environment();
        env.Remove("AGENTHOST_Llama__Defaults__Temperature");
        env.Remove("AGENTHOST_Llama__Defaults__Seed");
        // Sessions go to a scratch file, not into the checkout.
        env["AGENTHOST_AgentSessions__DatabasePath"] = Path.Combine(TestAssets.NewTempDir("readme"), "sessions.db");
        var result = await SampleProcess.RunAsync(SampleProcess.Cli, args, TestAssets.RepoRoot, env);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(string.IsNullOrWhiteSpace(result.Stdout), result.ToString());
        Assert.Matches(@"\[session\] sess_\w+", result.Stderr);
    }
}
