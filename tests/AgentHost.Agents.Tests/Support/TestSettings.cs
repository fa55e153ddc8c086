namespace AgentHost.Agents.Tests.Support;

/// <summary>Settings shared by the in-process test hosts and the SessionWriter child process (linked into both).</summary>
internal static class TestSettings
{
    /// <summary>The configuration every test host (and the SessionWriter child) uses.</summary>
    public static Dictionary<string, string?> For(string modelPath, string databasePath) => new()
    {
        ["Llama:ModelPath"] = modelPath,
        ["Llama:Backend"] = "Cpu",
        ["Llama:ContextSize"] = "2048",
        ["Llama:Parallel"] = "2",
        ["Llama:Threads"] = "2",
        ["Llama:Defaults:Temperature"] = "0",
        ["Llama:Defaults:Seed"] = "1",
        ["Plugins:CustomerService:DatabasePath"] = Path.Combine(Path.GetDirectoryName(databasePath)!, "support.db"),
        ["AgentSessions:DatabasePath"] = databasePath,
        // Random weights rarely stop: replies are capped so the suite stays fast (the wiring is what is tested).
        ["Agents:support:MaxTokens"] = "12",
        ["Agents:support:Temperature"] = "0",
        ["Agents:writer:MaxTokens"] = "12",
        ["Agents:translator:MaxTokens"] = "12",
        ["Agents:summarizer:MaxTokens"] = "12",
        ["Agents:cs-triage:MaxTokens"] = "120",
        ["AgentTools:MaxStringLength"] = "60",
        ["Agents:cs-orders:MaxTokens"] = "12",
        ["Agents:cs-policy:MaxTokens"] = "12",
        ["Agents:cs-technical:MaxTokens"] = "12",
        ["Agents:cs-orders:Temperature"] = "0",
        ["Agents:cs-policy:Temperature"] = "0",
        ["Agents:cs-technical:Temperature"] = "0",
        ["Agents:chat:Instructions"] = "You are a helpful assistant.",
        ["Agents:chat:MaxTokens"] = "10",
        ["Agents:chat:Temperature"] = "0",
        ["Agents:weather:Instructions"] = "You report the weather. Call GetWeather.",
        ["Agents:weather:Tools:0"] = "Weather",
        ["Agents:weather:ToolChoice"] = "required",
        ["Agents:weather:MaxTokens"] = "64",
        ["Agents:weather:Temperature"] = "0",
        ["Agents:refunds:Instructions"] = "You issue refunds.",
        ["Agents:refunds:Tools:0"] = "Ledger.IssueRefund",
        ["Agents:refunds:ApprovalRequired:0"] = "Ledger.IssueRefund",
        ["Agents:refunds:ToolChoice"] = "required",
        ["Agents:refunds:MaxTokens"] = "64",
        ["Agents:refunds:Temperature"] = "0",
        ["Agents:classifier:Instructions"] = "Classify the message.",
        ["Agents:classifier:ResponseFormat"] = "json_schema",
        ["Agents:classifier:ResponseSchema"] = """{"type":"object","properties":{"intent":{"enum":["order","refund","other"]},"urgent":{"type":"boolean"}},"required":["intent","urgent"],"additionalProperties":false}""",
        ["Agents:classifier:MaxTokens"] = "60",
        ["Agents:classifier:Temperature"] = "0",
    };

}
