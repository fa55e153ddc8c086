using System.Diagnostics;

namespace AgentHost.Agents.Tests.Support;

/// <summary>
/// Runs a built program of the repository (a sample, or the `agenthost` CLI) as a real child process: their
/// projects are referenced by this one, so they are built before the tests, in the same configuration.
/// </summary>
internal static class SampleProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

    /// <summary>samples/NAME's built NAME.dll.</summary>
    public static string Sample(string name) => Require(Path.Combine(TestAssets.RepoRoot, "samples", name, "bin", Configuration, "net10.0", name + ".dll"));

    /// <summary>The built `agenthost` CLI.</summary>
    public static string Cli => Require(Path.Combine(TestAssets.RepoRoot, "src", "AgentHost.Cli", "bin", Configuration, "net10.0", "agenthost.dll"));

    /// <summary>Settings every child gets: the CPU, two threads, greedy decoding with a fixed seed.</summary>
    public static Dictionary<string, string> Environment() => new()
    {
        ["AGENTHOST_Llama__Backend"] = "Cpu",
        ["AGENTHOST_Llama__GpuLayers"] = "0",
        ["AGENTHOST_Llama__Threads"] = "2",
        ["AGENTHOST_Llama__Defaults__Temperature"] = "0",
        ["AGENTHOST_Llama__Defaults__Seed"] = "1",
        ["AGENTHOST_Logging__LogLevel__Default"] = "None",
        ["AGENTHOST_Logging__LogLevel__AgentHost"] = "None",
    };

    public static async Task<Result> RunAsync(string dll, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string> environment, string stdin = "")
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = workingDirectory };
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(dll)} {string.Join(' ', args)} did not exit within 4 minutes\n{await stderr}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    private static string Require(string path) => File.Exists(path) ? path : throw new FileNotFoundException($"not built: {path}", path);
}
