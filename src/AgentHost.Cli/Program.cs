using System.CommandLine;
using AgentHost.Cli.Commands;
using AgentHost.Gguf;
using AgentHost.Jinja;
using AgentHost.Models;
using AgentHost.Native;
using Microsoft.Extensions.Options;

var root = new RootCommand("agenthost: run local GGUF models through llama.cpp for Semantic Kernel and Microsoft.Extensions.AI");
root.Subcommands.Add(CompleteCommand.Create());
root.Subcommands.Add(ChatCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(ModelCommands.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(TemplateCommands.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(McpCommand.Create());
root.Subcommands.Add(AgentCommands.Create());
root.Subcommands.Add(WorkflowCommands.Create());

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors) CliConsole.WriteError(error.Message);
    return 2;
}

try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (OperationCanceledException)
{
    CliConsole.WriteError("cancelled");
    return 130;
}
catch (Exception ex) when (ex is LlamaException or AgentHostException or OptionsValidationException or FileNotFoundException or ArgumentException
                               or InvalidOperationException or KeyNotFoundException or ModelDownloadException or InvalidModelReferenceException or TemplateException)
{
    // One line naming the problem; no stack trace for bad input.
    var message = ex is OptionsValidationException ove ? string.Join("; ", ove.Failures) : ex.Message;
    CliConsole.WriteError(message.ReplaceLineEndings(" "));
    var badInput = ex is FileNotFoundException or ArgumentException or KeyNotFoundException or AgentHost.Agents.Tools.AgentConfigurationException or OptionsValidationException or AgentHostException or InvalidModelReferenceException
        or ModelDownloadException { Kind: ModelDownloadErrorKind.NotFound };
    return badInput ? 2 : 1;
}
