using System.CommandLine;
using AgentHost.Hosting;
using AgentHost.Plugins;
using AgentHost.Plugins.Running;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace AgentHost.Cli.Commands;

/// <summary>
/// `agenthost run Plugin.Function --arg name=value … [--input TEXT|-]`: invokes any kernel function of the AgentHost
/// plugins over the local model. Text results go to stdout as they are, structured ones as JSON; a tool result
/// that failed prints its JSON and exits 1 with the error on stderr.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var function = new Argument<string?>("function") { Description = "Plugin.Function, e.g. Writing.Draft or Translation.Translate", Arity = ArgumentArity.ZeroOrOne };
        var arg = new Option<string[]>("--arg", "-a") { Description = "An argument name=value (repeatable); @FILE reads a file, - reads stdin", AllowMultipleArgumentsPerToken = false };
        var input = new Option<string?>("--input", "-i") { Description = "The function's main text (its 'input' or first required parameter); - reads stdin" };
        var template = new Option<string?>("--chat-template") { Description = "Chat template for models that carry none (e.g. chatml)" };
        var json = new Option<bool>("--json") { Description = "Print text results as JSON too" };
        var list = new Option<bool>("--list") { Description = "List the functions and their parameters" };
        var command = new Command("run", "Invoke a kernel function (Plugin.Function) of the AgentHost plugins");
        command.Arguments.Add(function);
        common.AddTo(command);
        foreach (var o in new Option[] { arg, input, template, json, list }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var listing = parse.GetValue(list);
            if (!listing && string.IsNullOrWhiteSpace(parse.GetValue(function)))
                throw new ArgumentException("Name the function to run (Plugin.Function), or pass --list to see them.");
            // Listing needs no model; running resolves it (a reference is pulled into the cache).
            var modelPath = listing ? null : (await common.BuildAsync(parse, ct)).ModelPath;
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
            builder.Services.AddAgentHostPlugins(builder.Configuration);
            using var host = builder.Build();
            var kernel = host.Services.GetRequiredService<Kernel>();
            if (listing)
            {
                Console.Out.Write(KernelFunctionRunner.Describe(kernel));
                return 0;
            }

            // Names and arguments are checked before the model loads, so a typo fails fast.
            var target = KernelFunctionRunner.Resolve(kernel, parse.GetValue(function));
            var arguments = KernelFunctionRunner.BindArguments(target, parse.GetValue(arg) ?? [], parse.GetValue(input), Console.In);
            CliConsole.WithLoadProgress("model", _ => host.Services.GetRequiredService<IChatClient>());
            FunctionResult result;
            try
            {
                result = await target.InvokeAsync(kernel, arguments, ct);
            }
            catch (KernelException ex)
            {
                throw new InvalidOperationException($"{target.PluginName}.{target.Name}: {ex.Message}", ex);
            }
            var text = KernelFunctionRunner.Format(result, parse.GetValue(json), out var error);
            Console.Out.Write(text);
            if (!Console.IsOutputRedirected || !text.EndsWith('\n')) Console.Out.WriteLine();
            if (error is null) return 0;
            CliConsole.WriteError(error);
            return 1;
        });
        return command;
    }
}
