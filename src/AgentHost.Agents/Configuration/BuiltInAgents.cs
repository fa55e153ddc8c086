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
    public const string Triage = "cs-triage";
    public const string Orders = "cs-orders";
    public const string Policy = "cs-policy";
    public const string Technical = "cs-technical";

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
        // The customer-service handoff workflow's participants: triage must hand off (required tool choice: under
        // the tool grammar its handoff call is always well-formed), the specialists answer with read-only tools.
        yield return new(Triage, new AgentDefinition
        {
            Description = "Reads the customer's message and hands it to the orders, policy or technical specialist.",
            Instructions = "You are the triage desk of an online shop's customer service. Do not answer yourself: hand the conversation to the specialist who fits (orders: order status, delivery, tracking; policy: returns, refunds, warranty, payments; technical: products that do not work).",
            ToolChoice = "required",
            Temperature = 0f,
            MaxTokens = 200,
        });
        yield return new(Orders, new AgentDefinition
        {
            Description = "Order status, delivery and tracking questions.",
            Instructions = "You are the orders specialist. Look up the customer's orders and answer briefly with the facts you found. A person reviews your answer before it is sent.",
            Tools = ["CustomerService.LookupOrder", "CustomerService.ListOrders"],
            Temperature = 0.2f,
            MaxTokens = 300,
        });
        yield return new(Policy, new AgentDefinition
        {
            Description = "Returns, refunds, warranty and payment policy questions.",
            Instructions = "You are the policy specialist. Search the knowledge base and answer briefly, citing the policy. A person reviews your answer before it is sent.",
            Tools = ["CustomerService.SearchKnowledgeBase"],
            Temperature = 0.2f,
            MaxTokens = 300,
        });
        yield return new(Technical, new AgentDefinition
        {
            Description = "Products that do not work: troubleshooting and warranty repairs.",
            Instructions = "You are the technical specialist. Search the knowledge base for troubleshooting and warranty steps and answer briefly. A person reviews your answer before it is sent.",
            Tools = ["CustomerService.SearchKnowledgeBase"],
            Temperature = 0.2f,
            MaxTokens = 300,
        });
    }
}
