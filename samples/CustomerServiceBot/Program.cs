using System.CommandLine;
using AgentHost.Agents;
using AgentHost.Agents.Configuration;
using AgentHost.Agents.Sessions;
using AgentHost.Agents.Workflows;
using AgentHost.Hosting;
using AgentHost.Plugins.CustomerService;
using AgentHost.Plugins.CustomerService.Storage;
using CustomerServiceBot;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

// A support chat on the `support` agent (Microsoft Agent Framework, AddAgentHostAgents): each line you type is a
// customer message; the reply streams back, tool calls and approvals show on stderr. Each customer has their own
// agent session in SQLite, so the conversation resumes after a restart. /handoff TEXT sends a message through the
// customer-service handoff workflow instead (triage -> specialist -> a person answers the ticket). Commands:
// /customer ID, /tickets, /history, /handoff TEXT, /answer RUN TEXT, /exit. Piped input is answered line by line.
//   dotnet run --project samples/CustomerServiceBot -- --model ../shared/models/stories260K.gguf --chat-template chatml --ctx 8192 --max-tokens 64
var model = new Option<string?>("--model", "-m") { Description = "GGUF model file (else Llama:ModelPath from appsettings.json)" };
var template = new Option<string?>("--chat-template") { Description = "Chat template for models without one, e.g. chatml" };
var context = new Option<int?>("--ctx") { Description = "Context window in tokens (the tool definitions take a few thousand)" };
var customerOption = new Option<string>("--customer", "-c") { Description = "The customer you are (sample data: C-1001, C-2002, C-3003)", DefaultValueFactory = _ => "C-1001" };
var maxTokens = new Option<int?>("--max-tokens", "-n") { Description = "Most tokens per reply of the support agent and the specialists (Agents:<name>:MaxTokens)" };
var database = new Option<string>("--db") { Description = "SQLite file for orders, tickets, agent sessions and workflow checkpoints", DefaultValueFactory = _ => "customer-service.db" };
var approveOption = new Option<ApproveMode>("--approve") { Description = "Tool calls that need approval (EscalateToHuman, UpdateTicket): Ask at the terminal, Yes or No", DefaultValueFactory = _ => ApproveMode.Ask };
var respondOption = new Option<string?>("--respond") { Description = "The person's answer to every /handoff ticket: 'approve' sends the specialist's draft, other text is sent instead (else asked at the terminal)" };
var root = new RootCommand("Customer-support chat on the support agent and the customer-service handoff workflow, over the local model.");
foreach (var o in new Option[] { model, template, context, maxTokens, customerOption, database, approveOption, respondOption }) root.Options.Add(o);

root.SetAction(async (parse, ct) =>
{
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
    builder.Configuration.AddEnvironmentVariables("AGENTHOST_");
    // The command line over appsettings.json: the model, and one SQLite file for the shop's data and the sessions.
    var db = parse.GetValue(database)!;
    var settings = new Dictionary<string, string?>
    {
        ["Llama:ModelPath"] = parse.GetValue(model),
        ["Llama:ChatTemplate"] = parse.GetValue(template),
        ["Llama:ContextSize"] = parse.GetValue(context)?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Plugins:CustomerService:DatabasePath"] = db,
        ["Plugins:CustomerService:KnowledgeBaseDirectory"] = Path.Combine(AppContext.BaseDirectory, "knowledge"),
        ["AgentSessions:DatabasePath"] = db,
    };
    if (parse.GetValue(maxTokens) is { } n)
        foreach (var agentName in new[] { BuiltInAgents.Support, BuiltInAgents.Orders, BuiltInAgents.Policy, BuiltInAgents.Technical })
            settings[$"Agents:{agentName}:MaxTokens"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
    builder.Configuration.AddInMemoryCollection(settings.Where(s => s.Value is not null));
    builder.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddFilter<ConsoleLoggerProvider>((category, level) => level >= LogLevel.Error && category?.StartsWith("AgentHost", StringComparison.Ordinal) == true);
    builder.Services.AddLlamaChatClient(builder.Configuration);
    builder.Services.AddAgentHostKernel();
    builder.Services.AddAgentHostAgents(builder.Configuration);
    using var host = builder.Build();

    try
    {
        var customer = CustomerContext.ValidateId(parse.GetValue(customerOption), "--customer");
        // The shop's orders, loaded once into a new database.
        var orders = host.Services.GetRequiredService<OrderRepository>();
        if (await orders.CountAsync(ct) == 0)
            await OrderImport.ImportJsonAsync(Path.Combine(AppContext.BaseDirectory, "data", "orders.json"), orders, ct);

        var agent = host.Services.GetRequiredKeyedService<AIAgent>(BuiltInAgents.Support);
        var sessions = host.Services.GetRequiredService<AgentSessionService>();
        var interactive = !Console.IsInputRedirected;
        var mode = parse.GetValue(approveOption);
        var turns = new AgentTurnPresenter(call => mode switch
        {
            ApproveMode.Yes => true,
            ApproveMode.No => false,
            _ when !interactive => Reject("stdin is not a terminal; pass --approve yes to approve"),
            _ => Ask("approve? [y/N] ") is "y" or "yes",
        });
        var respond = parse.GetValue(respondOption);
        var handoffs = new HandoffPresenter(host.Services.GetRequiredService<WorkflowRunService>(),
            _ => respond ?? (interactive ? Ask("answer ('approve' sends the draft, or type the reply): ") : null));

        var session = await OpenAsync(customer);
        Console.Error.WriteLine($"Support chat as {customer} on the '{BuiltInAgents.Support}' agent (database {db}). /customer ID, /tickets, /history, /handoff TEXT, /answer RUN TEXT, /exit.");
        while (!ct.IsCancellationRequested)
        {
            if (interactive) Console.Error.Write($"{customer}> ");
            var line = Console.ReadLine();
            if (line is null || line.Trim() == "/exit") break;
            line = line.Trim();
            if (line.Length == 0) continue;
            if (!interactive) Console.Out.WriteLine($"{customer}> {line}");
            try
            {
                await HandleAsync(line);
            }
            catch (Exception ex) when (ex is ArgumentException or KeyNotFoundException)
            {
                // A bad command (unknown customer id or run) is reported; the chat goes on.
                Console.Error.WriteLine($"customer-service-bot: {ex.Message}");
            }
        }
        return 0;

        async Task HandleAsync(string line)
        {
            if (line.StartsWith("/customer ", StringComparison.Ordinal))
            {
                customer = CustomerContext.ValidateId(line[10..].Trim(), "customer");
                session = await OpenAsync(customer);
                Console.Error.WriteLine($"Now chatting as {customer}.");
            }
            else if (line == "/tickets")
            {
                foreach (var t in await host.Services.GetRequiredService<TicketRepository>().ListByCustomerAsync(customer, 20, ct))
                    Console.Out.WriteLine($"{t.TicketId}  {t.Status,-15} {t.Priority,-7} {t.Subject}");
            }
            else if (line == "/history")
            {
                foreach (var m in await sessions.MessagesAsync(SessionId(customer), ct))
                    Console.Out.WriteLine($"{m.Role}: {Describe(m)}");
            }
            else if (line.StartsWith("/handoff ", StringComparison.Ordinal))
            {
                await handoffs.StartAsync(customer, line[9..].Trim(), ct);
            }
            else if (line.StartsWith("/answer ", StringComparison.Ordinal) && line[8..].Trim().Split(' ', 2) is [var runId, var answer])
            {
                await handoffs.RespondAsync(runId, answer, ct);
            }
            else
            {
                Console.Out.Write("assistant> ");
                await turns.RunTurnAsync(agent, session, line, ct);
                Console.Out.WriteLine();
                await sessions.SaveAsync(BuiltInAgents.Support, session, ct);
            }
        }

        // One stored session per customer: the support tools act for that customer only.
        Task<AgentSession> OpenAsync(string id) => sessions.OpenAsync(BuiltInAgents.Support, SessionId(id), id, ct);
    }
    catch (Exception ex) when (ex is ArgumentException or OptionsValidationException or FileNotFoundException or KeyNotFoundException)
    {
        Console.Error.WriteLine($"customer-service-bot: {(ex is OptionsValidationException o ? string.Join("; ", o.Failures) : ex.Message)}");
        return 2;
    }
    catch (Exception ex) when (ex is InvalidOperationException or AgentHost.Native.LlamaException)
    {
        Console.Error.WriteLine($"customer-service-bot: {ex.Message}");
        return 1;
    }
});

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine($"customer-service-bot: {error.Message}");
    return 2;
}
return await parsed.InvokeAsync();

static string SessionId(string customer) => $"support-{customer}";

static string? Ask(string prompt)
{
    Console.Error.Write(prompt);
    return Console.ReadLine()?.Trim().ToLowerInvariant();
}

static bool Reject(string why)
{
    Console.Error.WriteLine($"[approval] {why}");
    return false;
}

static string Describe(ChatMessage m) => string.Join(" ", m.Contents.Select(c => c switch
{
    TextContent t => t.Text,
    FunctionCallContent call => $"[tool call {call.Name}]",
    FunctionResultContent result => $"[tool result {result.CallId}]",
    _ => $"[{c.GetType().Name}]",
}));

internal enum ApproveMode { Ask, Yes, No }
