namespace AgentHost.Agents.Workflows;

/// <summary>What starts the customer-service workflow: the customer and their message.</summary>
public sealed record CustomerRequest(string CustomerId, string Message);

/// <summary>The specialist's draft reply after triage handed the conversation over.</summary>
public sealed record SpecialistDraft(string CustomerId, string Message, string Specialist, string Draft);

/// <summary>The human step's request (the RequestPort's request type): a ticket a person answers.</summary>
public sealed record HumanReviewRequest(string TicketId, string CustomerId, string Message, string Specialist, string Draft);

/// <summary>A person's answer to a <see cref="HumanReviewRequest"/>: send the draft as it is, or their own reply.</summary>
public sealed record HumanAnswer(bool ApproveDraft, string? Reply = null)
{
    /// <summary>"approve" (or "yes") sends the draft; anything else is the reply itself.</summary>
    public static HumanAnswer Parse(string text) =>
        text.Trim().ToLowerInvariant() is "approve" or "approved" or "yes" or "y" ? new HumanAnswer(true) : new HumanAnswer(false, text.Trim());
}

/// <summary>The customer-service workflow's output.</summary>
public sealed record CustomerReply(string TicketId, string Specialist, string Reply, bool DraftApproved);

/// <summary>The writing pipeline's stages.</summary>
public sealed record WritingBrief(string Brief);

public sealed record WritingOutline(string Brief, string Outline);

public sealed record WritingDraft(string Brief, string Outline, string Draft);

public sealed record WritingResult(string Outline, string Draft, string Final, int EditsApplied);

/// <summary>The translation workflow's stages.</summary>
public sealed record TranslationJob(string Text, string TargetLanguage, string SourceLanguage = "en");

public sealed record TranslationDraft(TranslationJob Job, string Translation);

/// <summary>A translation with its back-translation and how close that came to the source (word overlap, 0..1).</summary>
public sealed record BackTranslationResult(string Translation, string BackTranslation, double Agreement, bool Passed);
