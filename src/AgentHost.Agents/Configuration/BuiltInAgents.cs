namespace AgentHost.Agents.Configuration;

/// <summary>
/// The ready agents. "Agents:&lt;name&gt;" in configuration overrides any of their settings and declares new ones.
/// Their instructions are files under prompts/Agents/.
/// </summary>
public static class BuiltInAgents
{
    public const string Support = "support";
    public const string Writer = "writer";
    public const string Translator = "translator";
    public const string Summarizer = "summarizer";

    /// <summary>Tools that change state: each call waits for approval.</summary>
    public static readonly IReadOnlyList<string> SupportApprovalRequired =
        ["CustomerService.EscalateToHuman", "CustomerService.UpdateTicket"];

    public static IEnumerable<KeyValuePair<string, AgentDefinition>> Create()
    {
        yield return new(Support, new AgentDefinition
        {
            Description = "Customer support for the shop: answers from the knowledge base, looks up orders, opens tickets, escalates to a person (with approval).",
            InstructionsFile = "Agents/support.md",
            Tools = ["CustomerService"],
            ApprovalRequired = [.. SupportApprovalRequired],
            Temperature = 0.3f,
            MaxTokens = 400,
        });
        yield return new(Writer, new AgentDefinition
        {
            Description = "Writes, outlines, rewrites, shortens and proofreads texts.",
            InstructionsFile = "Agents/writer.md",
            Tools = ["Writing"],
            Temperature = 0.7f,
            MaxTokens = 800,
        });
        yield return new(Translator, new AgentDefinition
        {
            Description = "Translates text between languages, keeping formatting, code and placeholders.",
            InstructionsFile = "Agents/translator.md",
            Tools = ["Translation"],
            Temperature = 0.2f,
            MaxTokens = 800,
        });
        yield return new(Summarizer, new AgentDefinition
        {
            Description = "Summarizes documents: a short summary, key points or action items.",
            InstructionsFile = "Agents/summarizer.md",
            Tools = ["Summarization"],
            Temperature = 0.2f,
            MaxTokens = 400,
        });
    }
}
