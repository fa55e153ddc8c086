using System.Text;
using System.Text.RegularExpressions;

namespace AgentHost.Plugins.CustomerService.Knowledge;

/// <summary>A source document of the knowledge base (an FAQ or a policy).</summary>
public sealed record KnowledgeDocument(string Id, string Title, string Text);

/// <summary>A retrievable section of a document: one heading's text, or part of it when the section is long.</summary>
public sealed record KnowledgePassage(int Index, string DocumentId, string DocumentTitle, string Heading, string Text)
{
    /// <summary>How the passage is cited to the model and the customer: "Returns policy › Refund timing".</summary>
    public string Source => Heading.Length > 0 && Heading != DocumentTitle ? $"{DocumentTitle} › {Heading}" : DocumentTitle;
}

/// <summary>
/// FAQ and policy documents split into passages at Markdown headings (sections longer than
/// <see cref="MaxPassageCharacters"/> are split again at paragraphs), ready for keyword and embedding search.
/// </summary>
public sealed partial class KnowledgeBase
{
    public const int MaxPassageCharacters = 1200;

    private KnowledgeBase(IReadOnlyList<KnowledgeDocument> documents, IReadOnlyList<KnowledgePassage> passages)
    {
        Documents = documents;
        Passages = passages;
    }

    public IReadOnlyList<KnowledgeDocument> Documents { get; }
    public IReadOnlyList<KnowledgePassage> Passages { get; }

    public static KnowledgeBase Empty { get; } = new([], []);

    /// <summary>Every *.md and *.txt file of <paramref name="directory"/> (not recursive), in name order.</summary>
    public static KnowledgeBase LoadDirectory(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException($"Knowledge base folder not found: {full} (Plugins:CustomerService:KnowledgeBaseDirectory).");
        var files = Directory.EnumerateFiles(full)
            .Where(f => f.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0) throw new InvalidOperationException($"The knowledge base folder {full} has no .md or .txt documents.");
        return FromDocuments(files.Select(f =>
        {
            var text = File.ReadAllText(f, Encoding.UTF8);
            var id = Path.GetFileNameWithoutExtension(f);
            var title = TitleLine().Match(text) is { Success: true } m ? m.Groups[1].Value.Trim() : id;
            return new KnowledgeDocument(id, title, text);
        }));
    }

    public static KnowledgeBase FromDocuments(IEnumerable<KnowledgeDocument> documents)
    {
        var docs = documents.ToList();
        var passages = new List<KnowledgePassage>();
        foreach (var doc in docs)
        {
            foreach (var (heading, body) in Sections(doc))
            {
                foreach (var part in SplitLong(body))
                    passages.Add(new KnowledgePassage(passages.Count, doc.Id, doc.Title, heading, part));
            }
        }
        return new KnowledgeBase(docs, passages);
    }

    /// <summary>The document cut at headings (#, ##, ###); each section keeps its heading for citation.</summary>
    private static IEnumerable<(string Heading, string Body)> Sections(KnowledgeDocument doc)
    {
        var heading = doc.Title;
        var body = new StringBuilder();
        foreach (var rawLine in doc.Text.ReplaceLineEndings("\n").Split('\n'))
        {
            var m = HeadingLine().Match(rawLine);
            if (m.Success)
            {
                if (body.ToString().Trim() is { Length: > 0 } text) yield return (heading, text);
                body.Clear();
                heading = m.Groups[2].Value.Trim();
                continue;
            }
            body.Append(rawLine).Append('\n');
        }
        if (body.ToString().Trim() is { Length: > 0 } last) yield return (heading, last);
    }

    private static IEnumerable<string> SplitLong(string body)
    {
        if (body.Length <= MaxPassageCharacters)
        {
            yield return body;
            yield break;
        }
        var current = new StringBuilder();
        foreach (var paragraph in ParagraphBreak().Split(body).Where(p => p.Trim().Length > 0))
        {
            if (current.Length > 0 && current.Length + paragraph.Length > MaxPassageCharacters)
            {
                yield return current.ToString().Trim();
                current.Clear();
            }
            current.Append(paragraph.Trim()).Append("\n\n");
        }
        if (current.Length > 0) yield return current.ToString().Trim();
    }

    [GeneratedRegex(@"^\s*#\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex TitleLine();

    [GeneratedRegex(@"^(#{1,3})\s+(.+)$")]
    private static partial Regex HeadingLine();

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex ParagraphBreak();
}
