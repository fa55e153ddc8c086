using System.Text.Json.Nodes;

namespace AgentHost.Grammar.Tests.ToolCalls;

internal static class ToolCallAssert
{
    public static void Matches(ParseScenario scenario, string text, IReadOnlyList<ParsedToolCall> calls, string context = "")
    {
        Assert.True(scenario.Text == text, $"{context}text was '{text}', expected '{scenario.Text}'");
        Assert.True(scenario.Calls.Length == calls.Count, $"{context}got {calls.Count} calls, expected {scenario.Calls.Length}");
        for (var i = 0; i < calls.Count; i++)
        {
            Assert.Equal(scenario.Calls[i].Id, calls[i].Id);
            Assert.Equal(scenario.Calls[i].Name, calls[i].Name);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(scenario.Calls[i].Args), JsonNode.Parse(calls[i].ArgumentsJson)),
                $"{context}arguments {calls[i].ArgumentsJson}, expected {scenario.Calls[i].Args}");
        }
    }
}
