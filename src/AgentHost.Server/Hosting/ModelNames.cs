using System.Reflection;
using AgentHost.Llama.Engine;
using AgentHost.Server.Errors;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Hosting;

/// <summary>
/// Which model a request's <c>model</c> names. The served model's id and its aliases always match (and would take
/// precedence over any other name once several models or named agents are served); with one model and
/// <see cref="ServerOptions.StrictModelNames"/> off, any other name is served by that model too.
/// </summary>
internal sealed class ModelNames
{
    private readonly HashSet<string> _known;
    private readonly bool _strict;

    public ModelNames(LlamaEngine engine, IOptions<ServerOptions> options)
    {
        ServedId = engine.ModelId;
        Aliases = options.Value.ModelAliases.Where(a => !string.IsNullOrWhiteSpace(a) && a != ServedId).Distinct(StringComparer.Ordinal).ToList();
        _known = new HashSet<string>([ServedId, .. Aliases], StringComparer.Ordinal);
        _strict = options.Value.StrictModelNames;
        var version = typeof(ModelNames).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        // The build (ours and llama.cpp's) and the model: a client comparing fingerprints sees when either changed.
        SystemFingerprint = $"agenthost-{version.Split('+')[0]}_llama.cpp-v0.5.0_{ServedId}";
    }

    /// <summary>The id responses report.</summary>
    public string ServedId { get; }

    public IReadOnlyList<string> Aliases { get; }

    /// <summary>system_fingerprint of every completion: the AgentHost and llama.cpp builds and the model.</summary>
    public string SystemFingerprint { get; }

    public bool IsKnown(string name) => _known.Contains(name);

    /// <summary>The id of the model that serves <paramref name="requested"/> (null or empty: the default); 404 when none does.</summary>
    public string Resolve(string? requested, string param = "model")
    {
        if (string.IsNullOrEmpty(requested) || _known.Contains(requested) || !_strict) return ServedId;
        throw OpenAiRequestException.NotFound($"The model '{requested}' does not exist; this server serves '{ServedId}'" +
            (Aliases.Count > 0 ? $" (also known as {string.Join(", ", Aliases.Select(a => $"'{a}'"))})." : "."), param, "model_not_found");
    }
}
