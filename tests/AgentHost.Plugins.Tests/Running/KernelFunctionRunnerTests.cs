using AgentHost.Plugins.Running;
using AgentHost.Plugins.Tests.Support;

namespace AgentHost.Plugins.Tests.Running;

/// <summary>What `agenthost run` does: resolve Plugin.Function, bind --arg/--input, format the result.</summary>
public class KernelFunctionRunnerTests
{
    [Theory]
    [InlineData("Writing.Draft", "Writing", "Draft")]
    [InlineData("writing-draft", "Writing", "Draft")]
    [InlineData("CustomerService_LookupOrder", "CustomerService", "LookupOrder")]
    public void ResolvesQualifiedNames(string name, string plugin, string function)
    {
        using var host = new PluginHost(new ScriptedChatClient(_ => ""));
        var f = KernelFunctionRunner.Resolve(host.Kernel, name);
        Assert.Equal((plugin, function), (f.PluginName, f.Name));
    }

    [Theory]
    [InlineData("Draft", "function: 'Draft' is not of the form Plugin.Function; available: CustomerService.AnswerQuestion")]
    [InlineData("Poetry.Sonnet", "function: no plugin 'Poetry'; plugins: CustomerService, Summarization, Translation, Writing")]
    [InlineData("Writing.Sonnet", "function: Writing has no function 'Sonnet'; it has: Draft, Expand, Headline, Outline, Proofread, Rewrite, Shorten")]
    public void UnknownFunctionsAreNamedWithWhatExists(string name, string message)
    {
        using var host = new PluginHost(new ScriptedChatClient(_ => ""));
        var ex = Assert.Throws<PluginInputException>(() => KernelFunctionRunner.Resolve(host.Kernel, name));
        Assert.StartsWith(message, ex.Message);
    }

    [Fact]
    public void BindsArgumentsFilesStdinAndInput()
    {
        using var host = new PluginHost(new ScriptedChatClient(_ => ""));
        var draft = KernelFunctionRunner.Resolve(host.Kernel, "Writing.Draft");
        var file = Path.Combine(host.Directory, "audience.txt");
        File.WriteAllText(file, "new hires");
        var arguments = KernelFunctionRunner.BindArguments(draft, ["TONE=warm", $"audience=@{file}", "length=short"], "-", new StringReader("Welcome note from stdin"));
        Assert.Equal("Welcome note from stdin", arguments["brief"]);
        Assert.Equal("new hires", arguments["audience"]);
        Assert.Equal("warm", arguments["tone"]);

        var translate = KernelFunctionRunner.Resolve(host.Kernel, "Translation.Translate");
        var t = KernelFunctionRunner.BindArguments(translate, ["target_language=zh"], "Hello");
        Assert.Equal("Hello", t["text"]);
    }

    [Theory]
    [InlineData(new[] { "brief" }, null, "--arg: 'brief' is not of the form name=value")]
    [InlineData(new[] { "style=x" }, "text", "--arg: Writing.Draft has no parameter 'style'; parameters: brief, audience, tone, length")]
    [InlineData(new[] { "tone=a", "Tone=b" }, "text", "--arg: 'tone' is given twice")]
    [InlineData(new[] { "tone=warm" }, null, "--arg: Writing.Draft needs brief (use --arg NAME=VALUE or --input)")]
    [InlineData(new[] { "brief=x" }, "y", "--input: 'brief' is also given with --arg")]
    [InlineData(new[] { "brief=@/nonexistent/brief.txt" }, null, "--arg brief: file not found: /nonexistent/brief.txt")]
    public void BadArgumentsAreRejectedBeforeAnythingRuns(string[] pairs, string? input, string message)
    {
        using var host = new PluginHost(new ScriptedChatClient(_ => ""));
        var draft = KernelFunctionRunner.Resolve(host.Kernel, "Writing.Draft");
        var ex = Assert.Throws<PluginInputException>(() => KernelFunctionRunner.BindArguments(draft, pairs, input));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public async Task TextResultsPrintAsTextAndToolResultsAsSnakeCaseJson()
    {
        using var host = await CustomerService.CustomerServiceHost.CreateAsync(new ScriptedChatClient(_ => "Bikes win"));
        var headline = await KernelFunctionRunner.Resolve(host.Kernel, "Writing.Headline").InvokeAsync(host.Kernel, new() { ["text"] = "News." });
        Assert.Equal("Bikes win", KernelFunctionRunner.Format(headline, json: false, out var none));
        Assert.Null(none);

        var lookup = KernelFunctionRunner.Resolve(host.Kernel, "CustomerService.LookupOrder");
        var found = await lookup.InvokeAsync(host.Kernel, KernelFunctionRunner.BindArguments(lookup, [], "ORD-10057"));
        var json = KernelFunctionRunner.Format(found, json: false, out var error);
        Assert.Null(error);
        Assert.Contains("\"order_id\": \"ORD-10057\"", json);
        Assert.Contains("\"status\": \"processing\"", json);
        Assert.Contains("\"unit_price_cents\": 1997", json);

        var missing = await lookup.InvokeAsync(host.Kernel, KernelFunctionRunner.BindArguments(lookup, [], "ORD-00001"));
        KernelFunctionRunner.Format(missing, json: false, out error);
        Assert.Equal("order_id: there is no order ORD-00001", error);
    }

    [Fact]
    public void DescribeListsEveryFunctionWithItsParameters()
    {
        using var host = new PluginHost(new ScriptedChatClient(_ => ""));
        var listing = KernelFunctionRunner.Describe(host.Kernel);
        Assert.Contains("Writing.Draft  Draft a text from a brief for an audience, in a tone, at a length.", listing);
        Assert.Contains("    brief (required)  What to write: purpose, key points, facts to include.", listing);
        Assert.Contains("    length = medium  short (~100 words), medium (~300) or long (~800).", listing);
        Assert.Contains("    priority = normal  low, normal, high or urgent.", listing);
        Assert.Equal(23, listing.Split('\n').Count(l => l.Length > 0 && !l.StartsWith(' ')));
    }
}
