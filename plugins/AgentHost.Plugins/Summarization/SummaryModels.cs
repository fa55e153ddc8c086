using System.Text.Json.Serialization;
using AgentHost.Plugins.Structured;

namespace AgentHost.Plugins.Summarization;

public enum SummaryStyle { Paragraph, Bullets, Tldr }

/// <summary>A summary and how it was made: the chunks the document was split into and the reduce rounds over them.</summary>
public sealed record SummaryResult(string Summary, int Chunks, int ReduceRounds, bool Truncated);

/// <summary>Structured result of Summarization.KeyPoints (the JSON schema in its config.json matches this type).</summary>
public sealed record KeyPointsResult([property: JsonRequired] IReadOnlyList<string> KeyPoints) : IValidatableOutput
{
    public IEnumerable<string> Validate()
    {
        for (var i = 0; i < KeyPoints.Count; i++)
            if (string.IsNullOrWhiteSpace(KeyPoints[i])) yield return $"key_points[{i}] is empty";
    }
}

public enum ActionPriority { Low, Medium, High }

public sealed record ActionItem(
    [property: JsonRequired] string Task,
    [property: JsonRequired] string Owner,
    [property: JsonRequired] string Due,
    [property: JsonRequired] ActionPriority Priority);

/// <summary>Structured result of Summarization.ActionItems (the JSON schema in its config.json matches this type).</summary>
public sealed record ActionItemsResult([property: JsonRequired] IReadOnlyList<ActionItem> ActionItems) : IValidatableOutput
{
    public IEnumerable<string> Validate()
    {
        for (var i = 0; i < ActionItems.Count; i++)
        {
            if (ActionItems[i] is null) yield return $"action_items[{i}] is null";
            else if (string.IsNullOrWhiteSpace(ActionItems[i].Task)) yield return $"action_items[{i}].task is empty";
        }
    }
}
