using System.Text.Json.Nodes;

namespace AgentHost.Jinja;

/// <summary>
/// Variables for one render of a chat template, set the way llama.cpp sets them:
/// <c>messages</c>, <c>bos_token</c>, <c>eos_token</c>, <c>tools</c> (only when given),
/// <c>add_generation_prompt</c> (only when true), then <see cref="ExtraVariables"/>.
/// </summary>
public sealed record ChatTemplateInput
{
    /// <summary>OpenAI-style message objects, passed to the template as-is.</summary>
    public JsonArray Messages { get; init; } = [];

    /// <summary>Tool declarations; null leaves <c>tools</c> undefined in the template.</summary>
    public JsonArray? Tools { get; init; }

    /// <summary>Value of <c>bos_token</c>.</summary>
    public string BosToken { get; init; } = "";

    /// <summary>Value of <c>eos_token</c>.</summary>
    public string EosToken { get; init; } = "";

    /// <summary>Sets <c>add_generation_prompt = true</c>; when false the variable is left undefined, as llama.cpp does.</summary>
    public bool AddGenerationPrompt { get; init; }

    /// <summary>Further variables (e.g. <c>enable_thinking</c>); they override the ones above.</summary>
    public IReadOnlyDictionary<string, JsonNode?> ExtraVariables { get; init; } = new Dictionary<string, JsonNode?>();

    /// <summary>Clock for <c>strftime_now</c>; its local time zone is the one formatted.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Safety limits for the render.</summary>
    public RenderLimits Limits { get; init; } = RenderLimits.Default;
}
