using AgentHost.Agents.Sessions;
using AgentHost.Plugins.CustomerService;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Kernel = Microsoft.SemanticKernel.Kernel;
using AIContextProvider = Microsoft.Agents.AI.AIContextProvider;
using AIContext = Microsoft.Agents.AI.AIContext;
using Microsoft.SemanticKernel;

namespace AgentHost.Agents.Tools;

/// <summary>
/// Gives an agent its kernel functions as tools on every run, through the framework's
/// <see cref="AIContextProvider"/> seam: each function becomes an AIFunction bound to a kernel scoped to the
/// session's customer (<see cref="CustomerContext"/>), so the CustomerService tools only ever see that customer's
/// orders and tickets; state-changing ones are wrapped in <see cref="ApprovalRequiredAIFunction"/>.
/// </summary>
public sealed class KernelToolsContextProvider(Kernel kernel, KernelToolSelection selection, SqliteChatHistoryProvider sessions) : AIContextProvider
{
    public override IReadOnlyList<string> StateKeys => ["agenthost.kernel-tools"];

    /// <summary>The tools as the model sees them for <paramref name="customerId"/> (null: no customer scope).</summary>
    public IReadOnlyList<AITool> ToolsFor(string? customerId)
    {
        var scoped = customerId is null || customerId == AgentSessionInfo.AnonymousCustomer ? kernel : CustomerContext.For(kernel, customerId);
        return selection.Functions.Select(f =>
        {
            AIFunction tool = new KernelBoundFunction(f.Function, scoped);
            return f.RequiresApproval ? new ApprovalRequiredAIFunction(tool) : (AITool)tool;
        }).ToList();
    }

    protected override ValueTask<AIContext> ProvideAIContextAsync(InvokingContext context, CancellationToken cancellationToken = default)
    {
        var customer = context.Session is null ? null : sessions.GetInfo(context.Session).CustomerId;
        return ValueTask.FromResult(new AIContext { Tools = ToolsFor(customer) });
    }
}
