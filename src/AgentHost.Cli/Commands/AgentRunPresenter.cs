using System.Text.Json;
using AgentHost.Agents.Catalog;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentHost.Cli.Commands;

/// <summary>
/// Runs one agent turn, streamed: reply text on stdout as it comes, tool calls, tool results, calls to other agents
/// (handoffs) and approval requests on stderr. Approval requests are answered (by the person at the terminal, or
/// by --approve) and the turn continues with the answers until none is pending.
/// </summary>
internal sealed class AgentRunPresenter(AgentCatalog catalog, Func<ToolApprovalRequestContent, bool> approve)
{
    public async Task<string> RunTurnAsync(AIAgent agent, AgentSession session, ChatMessage message, CancellationToken cancellationToken)
    {
        var text = new System.Text.StringBuilder();
        var next = message;
        while (true)
        {
            var pending = new List<ToolApprovalRequestContent>();
            await foreach (var update in agent.RunStreamingAsync(next, session, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                foreach (var content in update.Contents)
                {
                    switch (content)
                    {
                        case TextContent t when !string.IsNullOrEmpty(t.Text):
                            Console.Out.Write(t.Text);
                            text.Append(t.Text);
                            break;
                        case TextReasoningContent r when !string.IsNullOrEmpty(r.Text):
                            Console.Error.Write(r.Text);
                            break;
                        case FunctionCallContent call:
                            var kind = catalog.Contains(call.Name) ? "handoff" : "tool call";
                            Console.Error.WriteLine($"\n[{kind}] {call.Name}({JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions)})");
                            break;
                        case FunctionResultContent result:
                            Console.Error.WriteLine($"[tool result] {Shorten(result.Result is string s ? s : JsonSerializer.Serialize(result.Result, AIJsonUtilities.DefaultOptions))}");
                            break;
                        case ToolApprovalRequestContent request:
                            pending.Add(request);
                            break;
                    }
                }
            }
            if (pending.Count == 0) break;
            var answers = new List<AIContent>();
            foreach (var request in pending)
            {
                var call = request.ToolCall as FunctionCallContent;
                Console.Error.WriteLine($"\n[approval] {call?.Name}({JsonSerializer.Serialize(call?.Arguments, AIJsonUtilities.DefaultOptions)}) needs approval");
                var yes = approve(request);
                Console.Error.WriteLine(yes ? "[approval] approved" : "[approval] rejected");
                answers.Add(request.CreateResponse(yes, yes ? null : "rejected by the operator"));
            }
            next = new ChatMessage(ChatRole.User, answers);
        }
        if (text.Length > 0) Console.Out.WriteLine();
        // Say so rather than print nothing: a call still open at the token limit is dropped, not shown as text.
        else Console.Error.WriteLine("[no reply text] the model answered nothing, or reached its token limit inside a tool call (raise --max-tokens)");
        return text.ToString();
    }

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300] + "…";
}
