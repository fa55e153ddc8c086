using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentHost.Llama.Tests.Cli;

/// <summary>A real `agenthost serve` child process on a free loopback port, stopped (killed) on dispose.</summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private ServeProcess(Process process) => _process = process;

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");
    public Uri V1 => new(BaseAddress, "v1");
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public static async Task<ServeProcess> StartAsync(params string[] args)
    {
        // Its own folder: the session database and anything else it writes stay out of the test's way.
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestAssets.NewTempDir("serve") };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "agenthost.dll"));
        psi.ArgumentList.Add("serve");
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add("http://127.0.0.1:0");
        var process = Process.Start(psi)!;
        var started = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new ServeProcess(process);
        var log = server._stderr;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) { started.TrySetException(new InvalidOperationException("agenthost serve exited: " + server.Stderr)); return; }
            lock (log) log.AppendLine(e.Data);
            if (Serving().Match(e.Data) is { Success: true } m) started.TrySetResult(new Uri(m.Groups[1].Value.TrimEnd('/') + "/"));
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            server.BaseAddress = await started.Task.WaitAsync(TimeSpan.FromMinutes(2));
            return server;
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    [GeneratedRegex(@"agenthost: serving .* on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Serving();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
