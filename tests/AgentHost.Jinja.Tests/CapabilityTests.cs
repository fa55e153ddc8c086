namespace AgentHost.Jinja.Tests;

/// <summary>Capability detection must agree with llama.cpp's caps for every golden template (it drives the input workarounds).</summary>
public sealed class CapabilityTests
{
    public static TheoryData<string, string> TemplatesWithCaps()
    {
        var data = new TheoryData<string, string>();
        foreach (var suite in GoldenCases.Suites)
        foreach (var t in suite.Templates)
            if (File.Exists(Path.Combine(suite.ExpectedDir, t, "capabilities.txt"))) data.Add(suite.Name, t);
        return data;
    }

    [Theory]
    [MemberData(nameof(TemplatesWithCaps))]
    public void Detected_capabilities_match_llama_cpp(string suiteName, string template)
    {
        var suite = GoldenCases.Suites.Single(s => s.Name == suiteName);
        var expected = File.ReadAllLines(Path.Combine(suite.ExpectedDir, template, "capabilities.txt"))
            .Where(l => l.Length > 0)
            .Select(l => l.Split('='))
            .ToDictionary(p => p[0], p => bool.Parse(p[1]));

        var caps = ChatTemplateRenderer.DetectCapabilities(File.ReadAllText(Path.Combine(suite.TemplatesDir, template + ".jinja")));
        var actual = new Dictionary<string, bool>
        {
            ["supports_object_arguments"] = caps.SupportsObjectArguments,
            ["supports_parallel_tool_calls"] = caps.SupportsParallelToolCalls,
            ["supports_preserve_reasoning"] = caps.SupportsPreserveReasoning,
            ["supports_reasoning_effort"] = caps.SupportsReasoningEffort,
            ["supports_string_content"] = caps.SupportsStringContent,
            ["supports_system_role"] = caps.SupportsSystemRole,
            ["supports_tool_calls"] = caps.SupportsToolCalls,
            ["supports_tools"] = caps.SupportsTools,
            ["supports_typed_content"] = caps.SupportsTypedContent,
        };
        Assert.Equal(expected.OrderBy(kv => kv.Key), actual.OrderBy(kv => kv.Key));
    }

    [Fact]
    public void Every_llama_template_has_recorded_capabilities()
    {
        var missing = GoldenCases.LlamaTemplates.Templates
            .Where(t => !File.Exists(Path.Combine(GoldenCases.LlamaTemplates.ExpectedDir, t, "capabilities.txt")))
            .ToList();
        Assert.Empty(missing);
    }
}
