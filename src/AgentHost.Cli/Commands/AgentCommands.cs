using System.CommandLine;
using AgentHost.Agents;
using AgentHost.Agents.Catalog;
using AgentHost.Agents.Sessions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentHost.Cli.Commands;

/// <summary>
/// `agenthost agent list | chat NAME [--session ID] | run NAME --input TEXT|-`: the Agent Framework agents declared
/// under "Agents" in appsettings.json, over the local model, with sessions stored in SQLite.
/// </summary>
internal static class AgentCommands
{
    public enum ApproveMode { Ask, Yes, No }

    public static Command Create()
    {
        var command = new Command("agent", "Agent Framework agents over the local model (declared under Agents in appsettings.json)");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Chat());
        command.Subcommands.Add(Run());
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the agents: name, tools and description");
        command.SetAction(parse =>
        {
            using var host = AgentCliHost.Build(parse, new CommonOptions(), null, AgentCliHost.TemplateOption());
            var catalog = host.Services.GetRequiredService<AgentCatalog>();
            foreach (var name in catalog.Names)
            {
                var d = catalog.GetDefinition(name);
                var tools = string.Join(",", d.Tools.Concat(d.Agents.Select(a => "agent:" + a)).Concat(d.McpServers.Select(m => "mcp:" + m)));
                Console.Out.WriteLine($"{name}\t{(tools.Length == 0 ? "-" : tools)}\t{d.Description}");
            }
            return 0;
        });
        return command;
    }

    private static (Argument<string> Name, Option<string?> Session, Option<string?> Customer, Option<ApproveMode> Approve, Option<int?> MaxTokens, Option<int?> Seed) SessionOptions(Command command)
    {
        var name = new Argument<string>("name") { Description = "The agent (see `agenthost agent list`)" };
        var session = new Option<string?>("--session", "-s") { Description = "Session id: continues that stored session, or starts it" };
        var customer = new Option<string?>("--customer") { Description = "Customer id the session belongs to (the CustomerService tools act for them)" };
        var approve = new Option<ApproveMode>("--approve") { Description = "Tool calls that need approval: Ask (at the terminal), Yes or No", DefaultValueFactory = _ => ApproveMode.Ask };
        var maxTokens = new Option<int?>("--max-tokens", "-n") { Description = "Most tokens per model reply (over the agent's Agents:<name>:MaxTokens)" };
        var seed = new Option<int?>("--seed") { Description = "Sampling seed of the agent's replies, for repeatable runs (over the agent's Agents:<name>:Seed)" };
        command.Arguments.Add(name);
        foreach (var o in new Option[] { session, customer, approve, maxTokens, seed }) command.Options.Add(o);
        return (name, session, customer, approve, maxTokens, seed);
    }

    private static Func<ToolApprovalRequestContent, bool> Approver(ApproveMode mode, bool stdinIsInput) => mode switch
    {
        ApproveMode.Yes => _ => true,
        ApproveMode.No => _ => false,
        _ when stdinIsInput || Console.IsInputRedirected => _ => throw new ArgumentException("--approve: a tool call needs approval and nobody can be asked (stdin is not a terminal); pass --approve yes or --approve no"),
        _ => _ =>
        {
            Console.Error.Write("approve? [y/N] ");
            return Console.ReadLine()?.Trim().ToLowerInvariant() is "y" or "yes";
        },
    };

    private static Command Chat()
    {
        var common = new CommonOptions();
        var template = AgentCliHost.TemplateOption();
        var command = new Command("chat", "Chat with an agent, streamed (empty line or /exit to quit); tool calls, approvals and handoffs on stderr");
        var (name, session, customer, approve, maxTokens, seed) = SessionOptions(command);
        common.AddTo(command);
        command.Options.Add(template);
        command.SetAction(async (parse, ct) =>
        {
            var agentName = parse.GetValue(name)!;
            var overrides = AgentCliHost.Overrides(agentName, parse.GetValue(maxTokens), parse.GetValue(seed));
            var modelPath = (await common.BuildAsync(parse, ct)).ModelPath;
            using var host = AgentCliHost.Build(parse, common, modelPath, template, overrides);
            var catalog = host.Services.GetRequiredService<AgentCatalog>();
            var agent = catalog.Get(agentName);
            var sessions = host.Services.GetRequiredService<AgentSessionService>();
            var sessionId = parse.GetValue(session) ?? SqliteChatHistoryProvider.NewSessionId();
            var s = await sessions.OpenAsync(agentName, sessionId, parse.GetValue(customer), ct);
            CliConsole.WithLoadProgress("model", _ => host.Services.GetRequiredService<IChatClient>());
            Console.Error.WriteLine($"[session] {sessionId} (resume with --session {sessionId})");
            var mode = parse.GetValue(approve);
            var presenter = new AgentRunPresenter(catalog, mode == ApproveMode.Ask && Console.IsInputRedirected ? Approver(ApproveMode.No, false) : Approver(mode, false));
            while (true)
            {
                if (!Console.IsInputRedirected) Console.Error.Write("> ");
                var line = Console.ReadLine();
                if (string.IsNullOrWhiteSpace(line) || line.Trim() == "/exit") break;
                await presenter.RunTurnAsync(agent, s, new ChatMessage(ChatRole.User, line), ct);
                await sessions.SaveAsync(agentName, s, ct);
            }
            return 0;
        });
        return command;
    }

    private static Command Run()
    {
        var common = new CommonOptions();
        var template = AgentCliHost.TemplateOption();
        var input = new Option<string?>("--input", "-i") { Description = "The message: TEXT, - (stdin), @FILE or an existing file's path" };
        var command = new Command("run", "Run one turn of an agent on --input; the reply on stdout");
        var (name, session, customer, approve, maxTokens, seed) = SessionOptions(command);
        common.AddTo(command);
        command.Options.Add(template);
        command.Options.Add(input);
        command.SetAction(async (parse, ct) =>
        {
            var agentName = parse.GetValue(name)!;
            var text = AgentCliHost.ReadInput(parse.GetValue(input), Console.In);
            if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException("--input: the message is empty");
            var overrides = AgentCliHost.Overrides(agentName, parse.GetValue(maxTokens), parse.GetValue(seed));
            // The agent's declaration is checked before the model is resolved, so a typo fails fast.
            using (var probe = AgentCliHost.Build(parse, common, null, template)) probe.Services.GetRequiredService<AgentCatalog>().GetDefinition(agentName);
            var modelPath = (await common.BuildAsync(parse, ct)).ModelPath;
            using var host = AgentCliHost.Build(parse, common, modelPath, template, overrides);
            var catalog = host.Services.GetRequiredService<AgentCatalog>();
            var agent = catalog.Get(agentName);
            var sessions = host.Services.GetRequiredService<AgentSessionService>();
            var sessionId = parse.GetValue(session) ?? SqliteChatHistoryProvider.NewSessionId();
            var s = await sessions.OpenAsync(agentName, sessionId, parse.GetValue(customer), ct);
            CliConsole.WithLoadProgress("model", _ => host.Services.GetRequiredService<IChatClient>());
            var presenter = new AgentRunPresenter(catalog, Approver(parse.GetValue(approve), parse.GetValue(input) == "-"));
            await presenter.RunTurnAsync(agent, s, new ChatMessage(ChatRole.User, text), ct);
            await sessions.SaveAsync(agentName, s, ct);
            Console.Error.WriteLine($"[session] {sessionId}");
            return 0;
        });
        return command;
    }
}
