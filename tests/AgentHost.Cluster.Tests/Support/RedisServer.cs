using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AgentHost.Cluster.Tests.Support;

/// <summary>A real redis-server (Debian package redis-server) on a free loopback port with its own temp folder; stopped on dispose.</summary>
internal sealed class RedisServer : IDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    public int Port { get; }
    public string ConnectionString => $"127.0.0.1:{Port}";

    private RedisServer(Process process, string dir, int port) => (_process, _dir, Port) = (process, dir, port);

    public static RedisServer Start()
    {
        var exe = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed (apt-get install -y redis-server; .ci/run installs it).");
        var port = FreePort();
        var dir = TestAssets.NewTempDir("redis");
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--port", port.ToString(), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no", "--protected-mode", "yes" }) psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                Thread.Sleep(50);
            }
        }
        return new RedisServer(process, dir, port);
    }

    private static readonly HashSet<int> Handed = [];

    /// <summary>
    /// A loopback port nothing listens on, below Linux's ephemeral range (32768+): a port the OS picked (port 0)
    /// may be taken by an outgoing connection before a child process binds it. Never the same one twice per run.
    /// </summary>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(20000, 32000);
            lock (Handed) if (!Handed.Add(port)) continue;
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException("No free loopback port in 20000-32000.");
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) { _process.Kill(); _process.WaitForExit(5000); } } catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
