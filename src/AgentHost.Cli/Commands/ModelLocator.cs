using AgentHost.Models;
using Microsoft.Extensions.Configuration;
using Spectre.Console;

namespace AgentHost.Cli.Commands;

/// <summary>
/// Turns --model (a path or a reference such as hf:OWNER/REPO/FILE.gguf) into a local file, pulling into the cache
/// with a progress bar when needed; with no model anywhere, pulls the configured default after saying so.
/// </summary>
internal static class ModelLocator
{
    public static ModelCache Cache(IConfiguration configuration)
    {
        var options = ModelCacheOptions.FromEnvironment(configuration["Models:Directory"]);
        if (configuration["Models:HuggingFaceEndpoint"] is { Length: > 0 } endpoint) options.HuggingFaceEndpoint = new Uri(endpoint);
        return new ModelCache(options);
    }

    public static async Task<string> ResolveAsync(string? model, IConfiguration configuration, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            model = configuration["Models:Default"];
            if (string.IsNullOrWhiteSpace(model))
                throw new ArgumentException("No model given: pass --model PATH (a local .gguf) or set Llama:ModelPath or Models:Default in appsettings.json.");
            Console.Error.WriteLine($"agenthost: no model configured; using the default model {model} (pulled into the cache on first use).");
        }
        var cache = Cache(configuration);
        using var downloader = new ModelDownloader(cache);
        var resolver = new ModelResolver(cache, downloader);
        return await WithDownloadProgress(progress => resolver.ResolveAsync(model, progress, cancellationToken));
    }

    public static async Task<string> WithDownloadProgress(Func<IProgress<DownloadProgress>, Task<string>> pull)
    {
        if (Console.IsErrorRedirected)
        {
            var lastDecile = -1;
            return await pull(new Progress<DownloadProgress>(p =>
            {
                var decile = p.Fraction is { } f ? (int)(f * 10) : -1;
                if (decile == lastDecile || decile < 0) return;
                lastDecile = decile;
                Console.Error.WriteLine($"{p.FileName}: {p.BytesDone:N0}/{p.TotalBytes:N0} bytes, {p.BytesPerSecond / 1048576:F1} MiB/s, ETA {p.Eta:hh\\:mm\\:ss}");
            }));
        }
        string path = "";
        await CliConsole.Error.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var tasks = new Dictionary<int, ProgressTask>();
                path = await pull(new SyncProgress(p =>
                {
                    if (!tasks.TryGetValue(p.FileIndex, out var task))
                        tasks[p.FileIndex] = task = ctx.AddTask(Markup.Escape(p.FileName), maxValue: p.TotalBytes ?? 1);
                    if (p.TotalBytes is { } total) task.MaxValue = total;
                    task.Value = p.BytesDone;
                }));
            });
        return path;
    }

    private sealed class SyncProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
