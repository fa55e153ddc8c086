using System.Text.Json.Serialization;
using AgentHost.Plugins.Structured;

namespace AgentHost.Plugins.Writing;

public enum EditKind { Spelling, Grammar, Punctuation, WordChoice, Style, Clarity }

/// <summary>One correction: replace <see cref="Original"/> (verbatim from the text) with <see cref="Replacement"/>.</summary>
public sealed record ProofreadEdit(
    [property: JsonRequired] string Original,
    [property: JsonRequired] string Replacement,
    [property: JsonRequired] EditKind Kind,
    [property: JsonRequired] string Explanation);

/// <summary>What the model answers for Writing.Proofread (the JSON schema in its config.json matches this type).</summary>
public sealed record ProofreadOutput([property: JsonRequired] IReadOnlyList<ProofreadEdit> Edits) : IValidatableOutput
{
    public IEnumerable<string> Validate()
    {
        for (var i = 0; i < Edits.Count; i++)
        {
            if (Edits[i] is null) yield return $"edits[{i}] is null";
            else if (string.IsNullOrEmpty(Edits[i].Original)) yield return $"edits[{i}].original is empty";
        }
    }
}

/// <summary>
/// The proofreading result: the edits that apply to the text (each found at or after the previous one), those that
/// do not (their original text is not in the document), and the text with the applicable edits made.
/// </summary>
public sealed record ProofreadResult(IReadOnlyList<ProofreadEdit> Edits, IReadOnlyList<ProofreadEdit> Unmatched, string CorrectedText);
