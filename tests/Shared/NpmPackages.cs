using System.Diagnostics;
using System.Security.Cryptography;

namespace AgentHost.Tests;

/// <summary>
/// The npm packages of tests/npm (package.json + package-lock.json): installed with <c>npm ci</c> into a scratch
/// folder named after the lock file's hash, once per machine, so a test never assumes them present. Node scripts
/// copied into that folder resolve the packages from its node_modules.
/// </summary>
public static class NpmPackages
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static string SourceDirectory => Path.Combine(TestAssets.RepoRoot, "tests", "npm");

    /// <summary>The folder holding node_modules (installing first if needed).</summary>
    public static async Task<string> EnsureInstalledAsync()
    {
        var lockFile = Path.Combine(SourceDirectory, "package-lock.json");
        var hash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(lockFile)))[..16].ToLowerInvariant();
        var folder = Path.Combine(Path.GetTempPath(), "agenthost-npm-" + hash);
        var done = Path.Combine(folder, ".installed");
        await Gate.WaitAsync();
        try
        {
            if (File.Exists(done)) return folder;
            Directory.CreateDirectory(folder);
            // Another test process may be installing: a lock file serialises them.
            await using var exclusive = await AcquireAsync(Path.Combine(Path.GetTempPath(), "agenthost-npm-" + hash + ".lock"));
            if (File.Exists(done)) return folder;
            File.Copy(Path.Combine(SourceDirectory, "package.json"), Path.Combine(folder, "package.json"), overwrite: true);
            File.Copy(lockFile, Path.Combine(folder, "package-lock.json"), overwrite: true);
            var (code, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], folder, TimeSpan.FromMinutes(5));
            if (code != 0) throw new InvalidOperationException($"npm ci in {folder} failed ({code}): {output}");
            await File.WriteAllTextAsync(done, DateTimeOffset.UtcNow.ToString("O"));
            return folder;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Copies a script from tests/npm into the install folder (so its imports resolve) and returns its path.</summary>
    public static async Task<string> ScriptAsync(string name)
    {
        var folder = await EnsureInstalledAsync();
        var target = Path.Combine(folder, name);
        File.Copy(Path.Combine(SourceDirectory, name), target, overwrite: true);
        return target;
    }

    /// <summary>Runs node on a script from tests/npm with the given arguments; returns exit code, stdout and stderr.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> NodeAsync(string script, IReadOnlyList<string> args, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var path = await ScriptAsync(script);
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(path)! };
        start.ArgumentList.Add(path);
        foreach (var a in args) start.ArgumentList.Add(a);
        if (environment is not null) foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish: {await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static async Task<(int, string)> RunAsync(string file, string[] args, string directory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static async Task<FileStream> AcquireAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 600)
            {
                await Task.Delay(500);
            }
        }
    }
}
