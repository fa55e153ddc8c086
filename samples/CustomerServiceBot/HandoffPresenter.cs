using System.Text.Json;
using AgentHost.Agents.Workflows;

namespace CustomerServiceBot;

/// <summary>
/// A message through the customer-service handoff workflow (cs-triage hands it to the orders, policy or technical
/// specialist; the draft becomes a ticket a person answers): shows the handoff and the human step on stderr, takes
/// the person's answer from <paramref name="answer"/> (--respond, or asked at the terminal), and prints the reply
/// that is sent. With nobody to ask, the run stays pending in the database and <c>/answer RUN TEXT</c> resumes it.
/// </summary>
internal sealed class HandoffPresenter(WorkflowRunService runs, Func<HumanReviewRequest, string?> answer)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public async Task StartAsync(string customerId, string message, CancellationToken cancellationToken) =>
        await ShowAsync(await runs.StartAsync(AgentHostWorkflows.CustomerService, new CustomerRequest(customerId, message), cancellationToken: cancellationToken), cancellationToken);

    public async Task RespondAsync(string runId, string text, CancellationToken cancellationToken) =>
        await ShowAsync(await runs.RespondAsync(runId, text, cancellationToken), cancellationToken);

    private async Task ShowAsync(WorkflowRunResult result, CancellationToken cancellationToken)
    {
        while (result.Status == "pending")
        {
            var review = result.Pending[0].Data.Deserialize<HumanReviewRequest>(Web)
                ?? throw new InvalidOperationException($"run {result.RunId}: the pending request carries no review");
            Console.Error.WriteLine($"[handoff] cs-triage -> {review.Specialist}");
            Console.Error.WriteLine($"[draft] {review.Draft}");
            Console.Error.WriteLine($"[human] ticket {review.TicketId} escalated; run {result.RunId} waits for a person on '{result.Pending[0].Port}'");
            if (answer(review) is not { } text)
            {
                Console.Error.WriteLine($"[human] answer later: /answer {result.RunId} approve|YOUR REPLY");
                return;
            }
            Console.Error.WriteLine($"[human] answered: {text}");
            result = await runs.RespondAsync(result.RunId, text, cancellationToken);
        }
        foreach (var output in result.Outputs)
            Console.Out.WriteLine(output is CustomerReply reply
                ? $"assistant ({reply.Specialist}, {(reply.DraftApproved ? "draft approved" : "written by a person")}, ticket {reply.TicketId})> {reply.Reply}"
                : $"assistant> {output}");
    }
}
