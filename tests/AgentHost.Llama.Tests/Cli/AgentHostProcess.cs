using System.Diagnostics;

namespace AgentHost.Llama.Tests.Cli;

/// <summary>Runs the real `agenthost` CLI (built next to the tests) as a child process.</summary>
internal static class AgentHostProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Task<Result> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    public static Task<Result> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args) => RunWithInputAsync(environment, "", args);

    /// <summary>Runs with <paramref name="stdin"/> as standard input (closed after it).</summary>
    public static async Task<Result> RunWithInputAsync(IReadOnlyDictionary<string, string> environment, string stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "agenthost.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p.WaitForExitAsync(timeout.Token);
        return new Result(p.ExitCode, await stdout, await stderr);
    }
}
