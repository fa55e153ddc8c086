using System.Security.Cryptography;
using System.Text;
using AgentHost.Agents.Catalog;
using AgentHost.Agents.Configuration;
using AgentHost.Plugins.CustomerService;
using AgentHost.Plugins.CustomerService.Storage;
using AgentHost.Plugins.Writing;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentHost.Agents.Workflows;

/// <summary>
/// The ready workflows, built with Microsoft.Agents.AI.Workflows over the named agents and kernel functions:
/// <list type="bullet">
/// <item><c>customer-service</c>: a handoff workflow (cs-triage hands to cs-orders, cs-policy or cs-technical), then a
/// person: the draft becomes a ticket, the workflow waits on the <c>human</c> RequestPort, and the answer resumes it;</item>
/// <item><c>writing</c>: outline, draft, proofread and apply the edits;</item>
/// <item><c>translation</c>: translate, translate back, and check the back-translation against the source.</item>
/// </list>
/// </summary>
public sealed class AgentHostWorkflows(AgentCatalog agents, Kernel kernel, TicketRepository tickets)
{
    public const string CustomerService = "customer-service";
    public const string Writing = "writing";
    public const string Translation = "translation";
    public const string HumanPortId = "human";
    private const string Scope = "agenthost";
    private const string ReviewKey = "review";


    public static IReadOnlyList<string> Names { get; } = [CustomerService, Writing, Translation];

    /// <summary>The least word overlap (0..1) between source and back-translation that passes the check.</summary>
    public double BackTranslationThreshold { get; init; } = 0.5;

    public Workflow Build(string name) => name.ToLowerInvariant() switch
    {
        CustomerService => BuildCustomerService(),
        Writing => BuildWriting(),
        Translation => BuildTranslation(),
        _ => throw new KeyNotFoundException($"workflow: there is no workflow '{name}'; available: {string.Join(", ", Names)}"),
    };

    /// <summary>The input a workflow starts from, from the text a person typed.</summary>
    public static object Input(string name, string text, string? customerId, string? targetLanguage) => name.ToLowerInvariant() switch
    {
        CustomerService => new CustomerRequest(CustomerContext.ValidateId(customerId ?? "anonymous", "customer_id"), text),
        Writing => new WritingBrief(text),
        Translation => new TranslationJob(text, targetLanguage ?? throw new ArgumentException("--target: the translation workflow needs a target language")),
        _ => throw new KeyNotFoundException($"workflow: there is no workflow '{name}'; available: {string.Join(", ", Names)}"),
    };

    /// <summary>The framework's handoff orchestration: triage hands the conversation to one specialist.</summary>
    public Workflow BuildHandoff()
    {
        var triage = agents.Get(BuiltInAgents.Triage);
        return AgentWorkflowBuilder.CreateHandoffBuilderWith(triage)
            .WithHandoffs(triage, [agents.Get(BuiltInAgents.Orders), agents.Get(BuiltInAgents.Policy), agents.Get(BuiltInAgents.Technical)])
            .Build();
    }

    private Workflow BuildCustomerService()
    {
        var specialists = BuildHandoff().AsAIAgent(id: "cs-specialists", name: "cs-specialists", description: "Triage and the specialist it hands to.");
        var specialistIds = new HashSet<string>(new[] { BuiltInAgents.Orders, BuiltInAgents.Policy, BuiltInAgents.Technical }, StringComparer.OrdinalIgnoreCase);

        var draft = new Func<CustomerRequest, IWorkflowContext, CancellationToken, ValueTask<SpecialistDraft>>(async (request, _, ct) =>
        {
            // Streamed so each update names the agent that spoke: the draft is what the last specialist said.
            string? specialist = null;
            var text = new StringBuilder();
            var authors = new List<string>();
            await foreach (var update in specialists.RunStreamingAsync(new ChatMessage(ChatRole.User, request.Message), cancellationToken: ct).ConfigureAwait(false))
            {
                if (update.AuthorName is { } author && !authors.Contains(author)) authors.Add(author);
                if (update.AuthorName is not { } a || !specialistIds.Contains(a)) continue;
                if (a != specialist) text.Clear();
                specialist = a;
                text.Append(update.Text);
            }
            return specialist is null
                ? throw new InvalidOperationException($"customer-service: triage handed the conversation to no specialist (agents that spoke: {string.Join(", ", authors)})")
                : new SpecialistDraft(request.CustomerId, request.Message, specialist, text.ToString().Trim());
        }).BindAsExecutor("specialists");

        var ticket = new Func<SpecialistDraft, IWorkflowContext, CancellationToken, ValueTask<HumanReviewRequest>>(async (d, context, ct) =>
        {
            // Idempotent: a step replayed from a checkpoint finds the ticket it opened.
            var requestId = "wf-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{d.CustomerId}\n{d.Message}\n{d.Specialist}\n{d.Draft}")))[..24];
            var opened = await tickets.CreateAsync(new NewTicket(d.CustomerId, Subject(d.Message), $"{d.Message}\n\nDraft by {d.Specialist}:\n{d.Draft}", RequestId: requestId, Author: "workflow"), ct).ConfigureAwait(false);
            if (TicketRepository.TryParseId(opened.TicketId, out var id))
                await tickets.EscalateAsync(id, $"a person reviews the {d.Specialist} draft before it is sent", "support-desk", "workflow", ct).ConfigureAwait(false);
            var review = new HumanReviewRequest(opened.TicketId, d.CustomerId, d.Message, d.Specialist, d.Draft);
            await context.QueueStateUpdateAsync(ReviewKey, review, Scope, ct).ConfigureAwait(false);
            return review;
        }).BindAsExecutor("ticket");

        var human = RequestPort.Create<HumanReviewRequest, HumanAnswer>(HumanPortId);

        var answer = new Func<HumanAnswer, IWorkflowContext, CancellationToken, ValueTask<CustomerReply>>(async (a, context, ct) =>
        {
            var review = await context.ReadStateAsync<HumanReviewRequest>(ReviewKey, Scope, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException("customer-service: the answer arrived without its review request in the workflow state");
            var reply = a.ApproveDraft || string.IsNullOrWhiteSpace(a.Reply) ? review.Draft : a.Reply!;
            if (TicketRepository.TryParseId(review.TicketId, out var id))
                await tickets.UpdateAsync(id, new TicketUpdate(Status: TicketStatus.Resolved, Note: a.ApproveDraft ? "draft approved and sent" : $"answered by a person: {reply}", Author: "human"), ct).ConfigureAwait(false);
            return new CustomerReply(review.TicketId, review.Specialist, reply, a.ApproveDraft);
        }).BindAsExecutor("answer"); // what it returns is the workflow's output (declared by the handler's type)

        return new WorkflowBuilder(draft)
            .AddEdge(draft, ticket)
            .AddEdge(ticket, human)
            .AddEdge(human, answer)
            .WithOutputFrom(answer)
            .WithName(CustomerService)
            .WithDescription("Triage, a specialist, then a person who approves or rewrites the reply (a ticket).")
            .Build();
    }

    private Workflow BuildWriting()
    {
        var outline = new Func<WritingBrief, IWorkflowContext, CancellationToken, ValueTask<WritingOutline>>(async (b, _, ct) =>
            new WritingOutline(b.Brief, await TextAsync("Writing", "Outline", new KernelArguments { ["subject"] = b.Brief }, ct).ConfigureAwait(false))).BindAsExecutor("outline");
        var draft = new Func<WritingOutline, IWorkflowContext, CancellationToken, ValueTask<WritingDraft>>(async (o, _, ct) =>
            new WritingDraft(o.Brief, o.Outline, await TextAsync("Writing", "Draft", new KernelArguments { ["brief"] = $"{o.Brief}\n\nFollow this outline:\n{o.Outline}" }, ct).ConfigureAwait(false))).BindAsExecutor("draft");
        var proofread = new Func<WritingDraft, IWorkflowContext, CancellationToken, ValueTask<WritingResult>>(async (d, context, ct) =>
        {
            // Writing.Proofread returns structured edits and applies them (EditApplier); a failed proofread keeps the draft.
            var result = await kernel.InvokeAsync("Writing", "Proofread", new KernelArguments { ["text"] = d.Draft }, ct).ConfigureAwait(false);
            var value = result.GetValue<Plugins.ToolResult<ProofreadResult>>();
            var final = value is { Ok: true, Value: { } r } ? r.CorrectedText : d.Draft;
            var applied = value is { Ok: true, Value: { } v } ? v.Edits.Count - v.Unmatched.Count : 0;
            return new WritingResult(d.Outline, d.Draft, final, applied);
        }).BindAsExecutor("proofread"); // what it returns is the workflow's output (declared by the handler's type)
        return new WorkflowBuilder(outline).AddEdge(outline, draft).AddEdge(draft, proofread).WithOutputFrom(proofread).WithName(Writing).Build();
    }

    private Workflow BuildTranslation()
    {
        var translate = new Func<TranslationJob, IWorkflowContext, CancellationToken, ValueTask<TranslationDraft>>(async (job, _, ct) =>
            new TranslationDraft(job, await TextAsync("Translation", "Translate", new KernelArguments { ["text"] = job.Text, ["target_language"] = job.TargetLanguage, ["source_language"] = job.SourceLanguage }, ct).ConfigureAwait(false))).BindAsExecutor("translate");
        var back = new Func<TranslationDraft, IWorkflowContext, CancellationToken, ValueTask<BackTranslationResult>>(async (draft, context, ct) =>
        {
            var backText = await TextAsync("Translation", "Translate", new KernelArguments { ["text"] = draft.Translation, ["target_language"] = draft.Job.SourceLanguage, ["source_language"] = draft.Job.TargetLanguage }, ct).ConfigureAwait(false);
            var agreement = WordOverlap(draft.Job.Text, backText);
            return new BackTranslationResult(draft.Translation, backText, agreement, agreement >= BackTranslationThreshold);
        }).BindAsExecutor("back-translate"); // what it returns is the workflow's output (declared by the handler's type)
        return new WorkflowBuilder(translate).AddEdge(translate, back).WithOutputFrom(back).WithName(Translation).Build();
    }

    private async Task<string> TextAsync(string plugin, string function, KernelArguments arguments, CancellationToken ct)
    {
        var result = await kernel.InvokeAsync(plugin, function, arguments, ct).ConfigureAwait(false);
        return (result.GetValue<object>()?.ToString() ?? "").Trim();
    }

    /// <summary>Jaccard overlap of the lower-cased words of two texts (0..1).</summary>
    public static double WordOverlap(string a, string b)
    {
        static HashSet<string> Words(string s) => new(s.ToLowerInvariant().Split((char[])[' ', '\n', '\t', '.', ',', ';', ':', '!', '?', '"', '(', ')'], StringSplitOptions.RemoveEmptyEntries));
        var x = Words(a);
        var y = Words(b);
        if (x.Count == 0 && y.Count == 0) return 1;
        return (double)x.Intersect(y).Count() / x.Union(y).Count();
    }

    private static string Subject(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.Length <= 80 ? line : line[..77] + "...";
    }
}
