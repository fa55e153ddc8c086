using System.Diagnostics;
using System.Text;
using AgentHost.Cluster.Options;

namespace AgentHost.Cluster.Tests.Support;

/// <summary>
/// A real `agenthost serve --cluster` child process (the CLI built next to the repository, src/AgentHost.Cli/bin) on
/// stories260K: loopback HTTP, silo and gateway ports, Redis (or PostgreSQL) clustering and session store, its own working folder.
/// </summary>
internal sealed class ClusterNodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource _serving = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int HttpPort { get; }
    public int SiloPort { get; }
    public string BaseUrl => $"http://127.0.0.1:{HttpPort}";
    /// <summary>The node's name in the cluster (its silo name), as X-AgentHost-Node reports it.</summary>
    public string Name => $"node-127.0.0.1:{SiloPort}";
    public bool Killed { get; private set; }

    private ClusterNodeProcess(Process process, int httpPort, int siloPort) => (_process, HttpPort, SiloPort) = (process, httpPort, siloPort);

    public static string CliDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            var path = Path.Combine(TestAssets.RepoRoot, "src", "AgentHost.Cli", "bin", configuration, "net10.0", "agenthost.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build src/AgentHost.Cli first (the test project references it)", path);
        }
    }

    /// <summary>The engine settings of <see cref="StoryCluster.Engine"/>, so a single in-process engine gives the same greedy replies.</summary>
    public static Dictionary<string, string> EngineEnvironment(int maxTokens) => new()
    {
        ["AGENTHOST_Llama__ChatTemplate"] = "chatml",
        ["AGENTHOST_Llama__ContextSize"] = "512",
        ["AGENTHOST_Llama__Parallel"] = "4",
        ["AGENTHOST_Llama__Threads"] = "1",
        ["AGENTHOST_Llama__BatchSize"] = "512",
        ["AGENTHOST_Llama__PromptCacheMiB"] = "64",
        ["AGENTHOST_Llama__Defaults__Temperature"] = "0",
        ["AGENTHOST_Llama__Defaults__MaxTokens"] = maxTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Starts a node; <paramref name="environment"/> adds or overrides AGENTHOST_ variables (Cluster:*).
    /// <paramref name="cluster"/> false: a plain `agenthost serve`, for what a single server says to cluster requests.
    /// <paramref name="provider"/> is both the membership table and the session store, at <paramref name="connectionString"/>.</summary>
    public static ClusterNodeProcess Start(string connectionString, IReadOnlyDictionary<string, string> environment, bool cluster = true, ClusterProvider provider = ClusterProvider.Redis)
    {
        var httpPort = RedisServer.FreePort();
        var siloPort = RedisServer.FreePort();
        var gatewayPort = RedisServer.FreePort();
        var dir = TestAssets.NewTempDir("cluster-node");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
        };
        psi.Environment["AGENTHOST_Cluster__Provider"] = provider.ToString();
        psi.Environment["AGENTHOST_Cluster__ConnectionString"] = connectionString;
        psi.Environment["AGENTHOST_Cluster__SessionStore"] = provider.ToString();
        psi.Environment["AGENTHOST_Cluster__SummaryIntervalMs"] = "200";
        // A killed node is declared dead in seconds, not the production default of about half a minute.
        psi.Environment["AGENTHOST_Cluster__ProbeTimeoutMs"] = "1000";
        psi.Environment["AGENTHOST_Cluster__MissedProbesLimit"] = "2";
        psi.Environment["AGENTHOST_Cluster__VotesForDeathDeclaration"] = "1";
        psi.Environment["AGENTHOST_AgentSessions__DatabasePath"] = Path.Combine(dir, "sessions.db");
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        psi.ArgumentList.Add(CliDll);
        foreach (var a in new[] { "serve", "--model", TestAssets.Stories260K, "--urls", $"http://127.0.0.1:{httpPort}" }) psi.ArgumentList.Add(a);
        if (cluster)
            foreach (var a in new[]
            {
                "--cluster",
                "--silo-port", siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--gateway-port", gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }) psi.ArgumentList.Add(a);

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var node = new ClusterNodeProcess(process, httpPort, siloPort);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            node.Append(e.Data);
            if (e.Data?.StartsWith("agenthost: serving", StringComparison.Ordinal) == true) node._serving.TrySetResult();
        };
        process.Exited += (_, _) => node._serving.TrySetException(new InvalidOperationException($"{node.Name} exited with {SafeExitCode(process)} before serving:\n{node.Log}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>Waits for the "agenthost: serving" line (the model is loaded and the silo has joined).</summary>
    public async Task WaitServingAsync(TimeSpan timeout)
    {
        try
        {
            await _serving.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} did not serve within {timeout.TotalSeconds:0} s:\n{Log}");
        }
    }

    /// <summary>Waits for the process to end by itself (a start-up failure) and returns its exit code.</summary>
    public async Task<int> WaitExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // drains the output readers
        return _process.ExitCode;
    }

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <summary>kill -9: SIGKILL, no shutdown, no goodbye to the cluster.</summary>
    public void Kill()
    {
        Killed = true;
        _process.Kill();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private static string SafeExitCode(Process p)
    {
        // Raised on a pool thread, maybe after Dispose: nothing here may throw, or the test host goes down.
        try { return p.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture); } catch (Exception) { return "?"; }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException) { }
        catch (TimeoutException) { }
        _process.Dispose();
    }
}
