using System.CommandLine;
using AgentHost.Agents;
using AgentHost.Agents.Configuration;
using AgentHost.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentHost.Cli.Commands;

/// <summary>The generic host the agent and workflow commands run in: the local model, the kernel, the plugins and the agents, configured from appsettings.json.</summary>
internal static class AgentCliHost
{
    public static Option<string?> TemplateOption() => new("--chat-template") { Description = "Chat template for models that carry none (e.g. chatml)" };

    /// <summary>
    /// A host; <paramref name="modelPath"/> null builds one that must not load the model (listing).
    /// <paramref name="agents"/> applies command-line overrides of the agents' settings over appsettings.json.
    /// </summary>
    public static IHost Build(ParseResult parse, CommonOptions common, string? modelPath, Option<string?> template, Action<AgentHostAgentsOptions>? agents = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Configuration.AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true).AddEnvironmentVariables("AGENTHOST_");
        builder.Logging.ClearProviders();
        builder.Services.AddLlamaChatClient(builder.Configuration, o =>
        {
            common.Apply(parse, o);
            if (modelPath is not null) o.ModelPath = modelPath;
            if (parse.GetValue(template) is { } t) o.ChatTemplate = t;
        });
        builder.Services.AddAgentHostKernel();
        builder.Services.AddAgentHostAgents(builder.Configuration, agents);
        return builder.Build();
    }

    /// <summary>
    /// --max-tokens (the most tokens of each reply, over the agent's MaxTokens) and --seed (its sampling seed, over its
    /// Seed) of agent <paramref name="agentName"/>; null when neither is given.
    /// </summary>
    public static Action<AgentHostAgentsOptions>? Overrides(string agentName, int? maxTokens, int? seed)
    {
        if (maxTokens is < 1) throw new ArgumentException($"--max-tokens: must be at least 1 (was {maxTokens})");
        if (maxTokens is null && seed is null) return null;
        return o =>
        {
            if (!o.Agents.TryGetValue(agentName, out var definition)) return;
            if (maxTokens is { } n) definition.MaxTokens = n;
            if (seed is { } s) definition.Seed = s;
        };
    }

    /// <summary>--input: TEXT, - (stdin), @FILE, or the path of an existing file.</summary>
    public static string ReadInput(string? value, TextReader stdin)
    {
        if (value is null) throw new ArgumentException("--input: give the text, - to read stdin, or @FILE");
        if (value == "-") return stdin.ReadToEnd();
        if (value.StartsWith('@')) return File.Exists(value[1..]) ? File.ReadAllText(value[1..]) : throw new FileNotFoundException($"--input: file not found: {value[1..]}", value[1..]);
        return File.Exists(value) ? File.ReadAllText(value) : value;
    }
}
