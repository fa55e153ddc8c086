using System.Net;
using System.Text.RegularExpressions;
using AgentHost.Plugins;
using Microsoft.SemanticKernel;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace AgentHost.Mcp.Server;

/// <summary>
/// The prompt functions under prompts/ as MCP prompts, named <c>Plugin_Function</c>: their input variables are the
/// prompt's arguments, and prompts/get renders the template with Semantic Kernel's own template engine (defaults
/// from config.json) into messages. MCP has no system role, so a system message becomes the first user message.
/// </summary>
public sealed partial class PromptCatalog(PromptLibrary library, Kernel kernel)
{
    private IEnumerable<(KernelPlugin Plugin, KernelFunction Function)> Prompts =>
        library.Plugins.SelectMany(p => p.Select(f => (p, f)));

    /// <summary>The MCP name of a prompt function.</summary>
    public static string PromptName(KernelPlugin plugin, KernelFunction function) => $"{plugin.Name}_{function.Name}";

    /// <summary>prompts/list: one prompt per prompt function, its input variables as arguments.</summary>
    public ListPromptsResult ListPrompts() => new()
    {
        Prompts = Prompts.Select(x => new Prompt
        {
            Name = PromptName(x.Plugin, x.Function),
            Description = x.Function.Description,
            Arguments = x.Function.Metadata.Parameters.Select(p => new PromptArgument
            {
                Name = p.Name,
                Description = p.Description,
                Required = p.IsRequired && p.DefaultValue is null,
            }).ToList(),
        }).ToList(),
    };

    /// <summary>prompts/get: the template rendered with the arguments (and config.json defaults).</summary>
    public async Task<GetPromptResult> GetAsync(string name, IDictionary<string, string>? arguments, CancellationToken cancellationToken)
    {
        var (plugin, function) = Prompts.FirstOrDefault(x => PromptName(x.Plugin, x.Function) == name);
        if (function is null) throw new McpProtocolException($"No prompt '{name}'; prompts/list names the prompts this server has.", McpErrorCode.InvalidParams);

        var directory = Path.Combine(library.Directory, plugin.Name, function.Name);
        var config = PromptTemplateConfig.FromJson(await File.ReadAllTextAsync(Path.Combine(directory, "config.json"), cancellationToken).ConfigureAwait(false));
        config.Template = await File.ReadAllTextAsync(Path.Combine(directory, "skprompt.txt"), cancellationToken).ConfigureAwait(false);

        var values = new KernelArguments();
        foreach (var variable in config.InputVariables)
        {
            if (arguments?.TryGetValue(variable.Name, out var given) == true) values[variable.Name] = given;
            else if (variable.Default is not null) values[variable.Name] = variable.Default;
            else if (variable.IsRequired) throw new McpProtocolException($"Prompt '{name}' requires the argument '{variable.Name}' ({variable.Description}).", McpErrorCode.InvalidParams);
        }
        foreach (var (key, value) in arguments ?? new Dictionary<string, string>())
        {
            if (!values.ContainsName(key)) throw new McpProtocolException($"Prompt '{name}' has no argument '{key}'; it takes: {string.Join(", ", config.InputVariables.Select(v => v.Name))}.", McpErrorCode.InvalidParams);
        }

        var rendered = await new KernelPromptTemplateFactory().Create(config).RenderAsync(kernel, values, cancellationToken).ConfigureAwait(false);
        return new GetPromptResult { Description = function.Description, Messages = ToMessages(rendered) };
    }

    /// <summary>SK's chat prompt markup (<c>&lt;message role="..."&gt;</c>, values HTML-encoded) → MCP messages.</summary>
    internal static List<PromptMessage> ToMessages(string rendered)
    {
        var messages = new List<PromptMessage>();
        foreach (Match m in MessageTag().Matches(rendered))
        {
            var role = m.Groups["role"].Value == "assistant" ? Role.Assistant : Role.User;
            messages.Add(new PromptMessage { Role = role, Content = new TextContentBlock { Text = WebUtility.HtmlDecode(m.Groups["text"].Value.Trim()) } });
        }
        if (messages.Count == 0) messages.Add(new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = rendered.Trim() } });
        return messages;
    }

    [GeneratedRegex("<message role=\"(?<role>system|user|assistant)\">(?<text>.*?)</message>", RegexOptions.Singleline)]
    private static partial Regex MessageTag();
}
