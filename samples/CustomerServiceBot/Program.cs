using System.CommandLine;
using AgentHost.Hosting;
using AgentHost.Plugins;
using AgentHost.Plugins.CustomerService;
using AgentHost.Plugins.CustomerService.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

// A support chat: each line you type is a customer message; replies stream back. Commands: /customer ID switches
// customer (each has their own stored history), /tickets lists the customer's tickets, /history shows the stored
// conversation, /exit quits. Piped input is answered line by line.
//   dotnet run --project samples/CustomerServiceBot -- --model ../shared/models/stories260K.gguf --chat-template chatml --ctx 8192 --max-tokens 64
var model = new Option<string?>("--model", "-m") { Description = "GGUF model file (else Llama:ModelPath from appsettings.json)" };
var template = new Option<string?>("--chat-template") { Description = "Chat template for models without one, e.g. chatml" };
var context = new Option<int?>("--ctx") { Description = "Context window in tokens (the tool definitions take a few thousand)" };
var customerOption = new Option<string>("--customer", "-c") { Description = "The customer you are (sample data: C-1001, C-2002, C-3003)", DefaultValueFactory = _ => "C-1001" };
var maxTokens = new Option<int?>("--max-tokens", "-n") { Description = "Most tokens per reply (Plugins:CustomerService:MaxReplyTokens, default 400)" };
var database = new Option<string>("--db") { Description = "SQLite file for orders, tickets and conversations", DefaultValueFactory = _ => "customer-service.db" };
var root = new RootCommand("Customer-support chat over the local model, with order lookup, tickets and escalation.");
foreach (var o in new Option[] { model, template, context, maxTokens, customerOption, database }) root.Options.Add(o);

root.SetAction(async (parse, ct) =>
{
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
    builder.Configuration.AddEnvironmentVariables("AGENTHOST_");
    builder.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddFilter<ConsoleLoggerProvider>((category, level) => level >= LogLevel.Error && category?.StartsWith("AgentHost", StringComparison.Ordinal) == true);
    builder.Services.AddLlamaChatClient(builder.Configuration, o =>
    {
        if (parse.GetValue(model) is { } m) o.ModelPath = m;
        if (parse.GetValue(template) is { } t) o.ChatTemplate = t;
        if (parse.GetValue(context) is { } c) o.ContextSize = c;
    });
    builder.Services.AddAgentHostKernel();
    builder.Services.AddAgentHostPlugins(builder.Configuration, o =>
    {
        o.CustomerService.DatabasePath = parse.GetValue(database)!;
        o.CustomerService.KnowledgeBaseDirectory = Path.Combine(AppContext.BaseDirectory, "knowledge");
        if (parse.GetValue(maxTokens) is { } n) o.CustomerService.MaxReplyTokens = n;
    });
    using var host = builder.Build();

    try
    {
        // The shop's orders, loaded once into a new database.
        var orders = host.Services.GetRequiredService<OrderRepository>();
        if (await orders.CountAsync(ct) == 0)
            await OrderImport.ImportJsonAsync(Path.Combine(AppContext.BaseDirectory, "data", "orders.json"), orders, ct);

        var agent = host.Services.GetRequiredService<SupportAgent>();
        var customer = CustomerContext.ValidateId(parse.GetValue(customerOption), "--customer");
        var interactive = !Console.IsInputRedirected;
        Console.Error.WriteLine($"Support chat as {customer} (database {host.Services.GetRequiredService<SupportDatabase>().Path}). /customer ID, /tickets, /history, /exit.");
        while (!ct.IsCancellationRequested)
        {
            if (interactive) Console.Error.Write($"{customer}> ");
            var line = Console.ReadLine();
            if (line is null || line.Trim() == "/exit") break;
            line = line.Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith("/customer ", StringComparison.Ordinal))
            {
                customer = CustomerContext.ValidateId(line[10..], "customer");
                Console.Error.WriteLine($"Now chatting as {customer}.");
                continue;
            }
            if (line == "/tickets")
            {
                foreach (var t in await host.Services.GetRequiredService<TicketRepository>().ListByCustomerAsync(customer, 20, ct))
                    Console.Out.WriteLine($"{t.TicketId}  {t.Status,-15} {t.Priority,-7} {t.Subject}");
                continue;
            }
            if (line == "/history")
            {
                foreach (var m in await host.Services.GetRequiredService<ConversationRepository>().RecentAsync(customer, 50, ct))
                    Console.Out.WriteLine($"[{m.At:u}] {m.Role}: {m.Content}");
                continue;
            }
            if (!interactive) Console.Out.WriteLine($"{customer}> {line}");
            Console.Out.Write("assistant> ");
            await foreach (var part in agent.ReplyStreamingAsync(customer, line, ct)) Console.Out.Write(part);
            Console.Out.WriteLine();
        }
        return 0;
    }
    catch (Exception ex) when (ex is ArgumentException or OptionsValidationException or FileNotFoundException)
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
