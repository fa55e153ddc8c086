using System.CommandLine;
using AgentHost.Plugins;
using AgentHost.Plugins.Writing;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using WritingAssistant;

// A writing assistant over files:
//   dotnet run --project samples/WritingAssistant -- draft --brief "Announce the new office" --tone warm --model ../shared/models/stories260K.gguf --chat-template chatml
//   ... rewrite notes.md --tone formal [--out formal.md]
//   ... proofread notes.md [--apply]
var model = new ModelOptions();
var root = new RootCommand("Writing assistant over the local model: draft, rewrite and proofread files.");

var brief = new Option<string?>("--brief") { Description = "What to write" };
var briefFile = new Option<FileInfo?>("--brief-file") { Description = "A file holding the brief" };
var audience = new Option<string>("--audience") { Description = "Who will read it", DefaultValueFactory = _ => "a general audience" };
var tone = new Option<string>("--tone") { Description = "The tone, e.g. warm, formal, persuasive", DefaultValueFactory = _ => "neutral" };
var length = new Option<string>("--length") { Description = "short, medium or long", DefaultValueFactory = _ => "medium" };
var output = new Option<FileInfo?>("--out", "-o") { Description = "Also write the result to this file" };
var draft = new Command("draft", "Draft a text from a brief (streamed)");
foreach (var o in new Option[] { brief, briefFile, audience, tone, length, output }) draft.Options.Add(o);
model.AddTo(draft);
draft.SetAction((parse, ct) => Guard(async () =>
{
    var text = parse.GetValue(briefFile) is { } f ? await File.ReadAllTextAsync(f.FullName, ct) : parse.GetValue(brief);
    using var host = model.BuildHost(parse);
    var arguments = new KernelArguments { ["brief"] = text, ["audience"] = parse.GetValue(audience), ["tone"] = parse.GetValue(tone), ["length"] = parse.GetValue(length) };
    return await StreamAsync(ModelOptions.Kernel(host), "Draft", arguments, parse.GetValue(output), ct);
}));
root.Subcommands.Add(draft);

var file = new Argument<FileInfo>("file") { Description = "The text file to work on" };
var rewriteTone = new Option<string>("--tone") { Description = "The tone to rewrite in, e.g. formal, friendly, concise", Required = true };
var rewrite = new Command("rewrite", "Rewrite a file in another tone (streamed)");
rewrite.Arguments.Add(file);
rewrite.Options.Add(rewriteTone);
rewrite.Options.Add(output);
model.AddTo(rewrite);
rewrite.SetAction((parse, ct) => Guard(async () =>
{
    var text = await ReadAsync(parse.GetValue(file)!, ct);
    using var host = model.BuildHost(parse);
    return await StreamAsync(ModelOptions.Kernel(host), "Rewrite", new KernelArguments { ["text"] = text, ["tone"] = parse.GetValue(rewriteTone) }, parse.GetValue(output), ct);
}));
root.Subcommands.Add(rewrite);

var apply = new Option<bool>("--apply") { Description = "Write the corrected text back to the file" };
var proofread = new Command("proofread", "List the edits a file needs (structured) and optionally apply them");
proofread.Arguments.Add(file);
proofread.Options.Add(apply);
model.AddTo(proofread);
proofread.SetAction((parse, ct) => Guard(async () =>
{
    var path = parse.GetValue(file)!;
    var text = await ReadAsync(path, ct);
    using var host = model.BuildHost(parse);
    var kernel = ModelOptions.Kernel(host);
    var result = (await kernel.InvokeAsync(WritingPlugin.PluginName, "Proofread", new KernelArguments { ["text"] = text }, ct)).GetValue<ToolResult<ProofreadResult>>()!;
    if (!result.Ok)
    {
        Console.Error.WriteLine($"writing-assistant: {result.Error}");
        return 1;
    }
    var edits = result.Value!;
    Console.Out.WriteLine(edits.Edits.Count == 0 ? "No edits." : $"{edits.Edits.Count} edit(s):");
    foreach (var e in edits.Edits) Console.Out.WriteLine($"- [{e.Kind}] \"{e.Original}\" -> \"{e.Replacement}\": {e.Explanation}");
    if (edits.Unmatched.Count > 0) Console.Out.WriteLine($"{edits.Unmatched.Count} suggested edit(s) did not match the text and were skipped.");
    if (parse.GetValue(apply) && edits.Edits.Count > 0)
    {
        await File.WriteAllTextAsync(path.FullName, edits.CorrectedText, ct);
        Console.Out.WriteLine($"Applied to {path.FullName}.");
    }
    return 0;
}));
root.Subcommands.Add(proofread);

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine($"writing-assistant: {error.Message}");
    return 2;
}
return await parsed.InvokeAsync();

// Streams a prompt function's output to stdout as it is generated (and to a file when asked).
static async Task<int> StreamAsync(Kernel kernel, string function, KernelArguments arguments, FileInfo? output, CancellationToken ct)
{
    var prompt = kernel.Plugins[WritingPlugin.PluginName][function];
    var text = new System.Text.StringBuilder();
    await foreach (var chunk in prompt.InvokeStreamingAsync<string>(kernel, arguments, ct))
    {
        Console.Out.Write(chunk);
        text.Append(chunk);
    }
    Console.Out.WriteLine();
    if (output is not null) await File.WriteAllTextAsync(output.FullName, text.ToString().Trim() + "\n", ct);
    return 0;
}

static async Task<string> ReadAsync(FileInfo file, CancellationToken ct) =>
    file.Exists ? await File.ReadAllTextAsync(file.FullName, ct) : throw new PluginInputException("file", $"not found: {file.FullName}");

// Bad input is one line on stderr and exit code 2; a failed model run is exit code 1.
static async Task<int> Guard(Func<Task<int>> body)
{
    try
    {
        return await body();
    }
    catch (Exception ex) when (ex is ArgumentException or OptionsValidationException or FileNotFoundException)
    {
        Console.Error.WriteLine($"writing-assistant: {(ex is OptionsValidationException o ? string.Join("; ", o.Failures) : ex.Message)}");
        return 2;
    }
    catch (Exception ex) when (ex is InvalidOperationException or KernelException or AgentHost.Native.LlamaException)
    {
        Console.Error.WriteLine($"writing-assistant: {ex.Message}");
        return 1;
    }
}
