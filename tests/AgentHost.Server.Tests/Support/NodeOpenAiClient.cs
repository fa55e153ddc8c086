using System.Diagnostics;
using System.Text.Json;

namespace AgentHost.Server.Tests.Support;

/// <summary>
/// The official <c>openai</c> npm package, installed with <c>npm ci</c> from the committed npm/package-lock.json
/// into a scratch folder (once per test run), running npm/openai-client.mjs against a server. Needs node and npm.
/// </summary>
public static class NodeOpenAiClient
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private static string? _installed;

    public static Task<JsonElement> RunAsync(LoopbackServer server, string model) => RunScriptAsync("openai-client.mjs", server, model);

    /// <summary>Runs <paramref name="script"/> (a file of npm/) as <c>node SCRIPT BASE_URL API_KEY MODEL</c>; its last stdout line is JSON.</summary>
    public static async Task<JsonElement> RunScriptAsync(string script, LoopbackServer server, string model)
    {
        var dir = await InstallAsync();
        var output = await RunProcessAsync("node", [Path.Combine(dir, script), server.V1.ToString(), server.ApiKey ?? "unused", model], dir, TimeSpan.FromMinutes(3));
        using var document = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        return document.RootElement.Clone();
    }

    private static async Task<string> InstallAsync()
    {
        await InstallGate.WaitAsync();
        try
        {
            if (_installed is not null) return _installed;
            var source = Path.Combine(TestAssets.RepoRoot, "tests", "AgentHost.Server.Tests", "npm");
            var dir = TestAssets.NewTempDir("openai-npm");
            foreach (var file in new[] { "package.json", "package-lock.json" }.Concat(Directory.GetFiles(source, "*.mjs").Select(Path.GetFileName)))
                File.Copy(Path.Combine(source, file!), Path.Combine(dir, file!));
            await RunProcessAsync("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], dir, TimeSpan.FromMinutes(5));
            return _installed = dir;
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static async Task<string> RunProcessAsync(string file, string[] args, string workingDirectory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} took longer than {timeout}");
        }
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
