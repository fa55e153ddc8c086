using Spectre.Console;

namespace AgentHost.Cli.Commands;

/// <summary>
/// Everything the CLI shows a person goes to stderr (progress, tables of status, errors), so stdout carries only
/// the command's result and can be piped.
/// </summary>
internal static class CliConsole
{
    public static IAnsiConsole Error { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public static IAnsiConsole Out { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });

    /// <summary>Runs <paramref name="load"/> with a progress bar on stderr fed by the returned progress sink.</summary>
    public static T WithLoadProgress<T>(string what, Func<IProgress<float>, T> load)
    {
        if (Console.IsErrorRedirected) return load(new Progress<float>(_ => { }));
        T result = default!;
        Error.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"Loading {Markup.Escape(what)}", maxValue: 1.0);
                result = load(new SyncProgress(v => task.Value = v));
            });
        return result;
    }

    /// <summary>Reports synchronously on the caller's thread (Progress&lt;T&gt; would post to the thread pool, late).</summary>
    private sealed class SyncProgress(Action<float> report) : IProgress<float>
    {
        public void Report(float value) => report(value);
    }

    public static void WriteError(string message) => Console.Error.WriteLine($"agenthost: error: {message}");
}
