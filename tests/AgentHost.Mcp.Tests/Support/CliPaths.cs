namespace AgentHost.Mcp.Tests.Support;

/// <summary>Where the built `agenthost` CLI is (its project is referenced, so it is built before the tests).</summary>
public static class CliPaths
{
    public static string AgentHostDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            var path = Path.Combine(TestAssets.RepoRoot, "src", "AgentHost.Cli", "bin", configuration, "net10.0", "agenthost.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build src/AgentHost.Cli first", path);
        }
    }

    /// <summary>The reference MCP server (@modelcontextprotocol/server-everything) from the tests' npm install.</summary>
    public static async Task<string> EverythingServerAsync() =>
        Path.Combine(await NpmPackages.EnsureInstalledAsync(), "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js");
}
