using System.Text;

namespace AgentHost.Plugins.Writing;

/// <summary>Applies proofreading edits to the text they were made for, in document order.</summary>
public static class EditApplier
{
    /// <summary>
    /// Each edit's original text is searched from where the previous edit ended (edits come in document order; one
    /// the model listed out of order is searched from the start instead); edits whose original is not found, or
    /// that overlap an earlier edit, are returned as unmatched and change nothing.
    /// </summary>
    public static ProofreadResult Apply(string text, IReadOnlyList<ProofreadEdit> edits)
    {
        var placed = new List<(int Start, ProofreadEdit Edit)>();
        var unmatched = new List<ProofreadEdit>();
        var cursor = 0;
        foreach (var edit in edits)
        {
            var at = text.IndexOf(edit.Original, cursor, StringComparison.Ordinal);
            if (at < 0)
            {
                at = text.IndexOf(edit.Original, StringComparison.Ordinal);
                if (at >= 0 && placed.Any(p => at < p.Start + p.Edit.Original.Length && p.Start < at + edit.Original.Length)) at = -1;
            }
            if (at < 0 || edit.Original == edit.Replacement)
            {
                unmatched.Add(edit);
                continue;
            }
            placed.Add((at, edit));
            cursor = Math.Max(cursor, at + edit.Original.Length);
        }
        var builder = new StringBuilder(text.Length);
        var position = 0;
        foreach (var (start, edit) in placed.OrderBy(p => p.Start))
        {
            builder.Append(text, position, start - position).Append(edit.Replacement);
            position = start + edit.Original.Length;
        }
        builder.Append(text, position, text.Length - position);
        return new ProofreadResult(placed.OrderBy(p => p.Start).Select(p => p.Edit).ToList(), unmatched, builder.ToString());
    }
}
