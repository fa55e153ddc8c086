using System.CommandLine;
using System.Text.Json;
using AgentHost.Agents.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Cli.Commands;

/// <summary>
/// `agenthost workflow run NAME --input … [--respond TEXT] [--run ID]`: runs a ready workflow (customer-service,
/// writing, translation) with checkpoints in SQLite. A pending human request is answered by --respond, at the
/// terminal, or later with `--run ID --respond TEXT` (also after a restart).
/// </summary>
internal static class WorkflowCommands
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var template = AgentCliHost.TemplateOption();
        var name = new Argument<string>("name") { Description = "customer-service, writing or translation" };
        var input = new Option<string?>("--input", "-i") { Description = "The input: TEXT, - (stdin), @FILE or an existing file's path" };
        var respond = new Option<string?>("--respond") { Description = "The answer to the pending human request ('approve' sends the draft)" };
        var runId = new Option<string?>("--run") { Description = "A pending run to answer (with --respond)" };
        var customer = new Option<string?>("--customer") { Description = "Customer id (customer-service)" };
        var target = new Option<string?>("--target") { Description = "Target language (translation)" };
        var run = new Command("run", "Run a workflow; pending human requests are answered by --respond or interactively");
        run.Arguments.Add(name);
        common.AddTo(run);
        foreach (var o in new Option[] { template, input, respond, runId, customer, target }) run.Options.Add(o);
        run.SetAction(async (parse, ct) =>
        {
            var workflow = parse.GetValue(name)!;
            if (!AgentHostWorkflows.Names.Contains(workflow)) throw new KeyNotFoundException($"workflow: there is no workflow '{workflow}'; available: {string.Join(", ", AgentHostWorkflows.Names)}");
            var modelPath = (await common.BuildAsync(parse, ct)).ModelPath;
            using var host = AgentCliHost.Build(parse, common, modelPath, template);
            var runs = host.Services.GetRequiredService<WorkflowRunService>();
            WorkflowRunResult result;
            if (parse.GetValue(runId) is { } existing)
            {
                result = await runs.RespondAsync(existing, parse.GetValue(respond) ?? throw new ArgumentException("--respond: answering --run needs the answer"), ct);
            }
            else
            {
                var text = AgentCliHost.ReadInput(parse.GetValue(input), Console.In);
                result = await runs.StartAsync(workflow, AgentHostWorkflows.Input(workflow, text, parse.GetValue(customer), parse.GetValue(target)), cancellationToken: ct);
            }
            while (result.Status == "pending")
            {
                var pending = result.Pending[0];
                Console.Error.WriteLine($"[human] run {result.RunId} waits on '{pending.Port}': {pending.Data.GetRawText()}");
                var answer = parse.GetValue(respond);
                if (answer is null)
                {
                    if (Console.IsInputRedirected)
                    {
                        Console.Error.WriteLine($"[human] answer later: agenthost workflow run {workflow} --run {result.RunId} --respond TEXT");
                        return 0;
                    }
                    Console.Error.Write("answer ('approve' sends the draft): ");
                    answer = Console.ReadLine() ?? "";
                }
                result = await runs.RespondAsync(result.RunId, answer, ct);
            }
            foreach (var output in result.Outputs)
                Console.Out.WriteLine(output is string s ? s : JsonSerializer.Serialize(output, output.GetType(), new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
            return 0;
        });
        var command = new Command("workflow", "Agent Framework workflows over the local model (checkpointed in SQLite)");
        command.Subcommands.Add(run);
        return command;
    }
}
