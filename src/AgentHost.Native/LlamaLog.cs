using System.Runtime.InteropServices;
using System.Text;
using AgentHost.Native.Interop;
using Microsoft.Extensions.Logging;

namespace AgentHost.Native;

/// <summary>Routes llama.cpp / ggml log lines into Microsoft.Extensions.Logging (silently dropped without a logger,
/// so native chatter never lands on a CLI's stdout).</summary>
internal static unsafe class LlamaLog
{
    private static ILogger? _logger;
    private static readonly StringBuilder Pending = new();
    [ThreadStatic] private static string? _lastProblem;

    /// <summary>The last warning or error llama.cpp logged on this thread; cleared by <see cref="TakeLastProblem"/>.</summary>
    public static string? TakeLastProblem()
    {
        var p = _lastProblem;
        _lastProblem = null;
        return p;
    }

    public static void Install(ILogger? logger)
    {
        _logger = logger;
        NativeMethods.llama_log_set(&OnLog, null);
        NativeMethods.ggml_log_set(&OnLog, null);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static void OnLog(int level, byte* text, void* userData)
    {
        var logger = _logger;
        try
        {
            var line = Marshal.PtrToStringUTF8((nint)text) ?? "";
            lock (Pending)
            {
                // Lines may arrive in pieces; GGML_LOG_LEVEL_CONT (5) continues the previous one.
                Pending.Append(line);
                if (!line.EndsWith('\n')) return;
                var message = Pending.ToString().TrimEnd();
                Pending.Clear();
                var logLevel = level switch { 4 => LogLevel.Error, 3 => LogLevel.Warning, 2 => LogLevel.Debug, _ => LogLevel.Trace };
                // Kept so a failed native call can say why (llama.cpp reports reasons only through its log).
                if (logLevel >= LogLevel.Warning) _lastProblem = message;
                logger?.Log(logLevel, "llama.cpp: {Message}", message);
            }
        }
        catch
        {
            // Never let an exception cross into native code.
        }
    }
}
