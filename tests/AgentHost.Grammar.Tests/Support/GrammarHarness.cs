using AgentHost.Grammar.Tests.Recognizer;

namespace AgentHost.Grammar.Tests.Support;

/// <summary>Builds a grammar from a schema and checks instances against it with the managed recognizer.</summary>
internal sealed class GrammarHarness
{
    private GrammarHarness(string gbnf, GbnfGrammar grammar, string root)
    {
        Gbnf = gbnf;
        Grammar = grammar;
        Recognizer = new EarleyRecognizer(grammar, root);
    }

    public string Gbnf { get; }

    public GbnfGrammar Grammar { get; }

    public EarleyRecognizer Recognizer { get; }

    public static GrammarHarness FromSchema(string schemaJson, JsonSchemaGrammarOptions? options = null) =>
        FromGbnf(JsonSchemaGrammar.FromSchemaJson(schemaJson, options));

    public static GrammarHarness FromGbnf(string gbnf, string root = "root")
    {
        try
        {
            return new GrammarHarness(gbnf, GbnfParser.Parse(gbnf, root), root);
        }
        catch (GbnfSyntaxException e)
        {
            throw new Xunit.Sdk.XunitException($"llama.cpp would reject the grammar: {e.Message}\n{gbnf}");
        }
    }

    public void AssertAccepts(string text)
    {
        if (!Recognizer.Accepts(text)) throw new Xunit.Sdk.XunitException($"grammar rejects {text}\n{Gbnf}");
    }

    public void AssertRejects(string text)
    {
        if (Recognizer.Accepts(text)) throw new Xunit.Sdk.XunitException($"grammar accepts {text}\n{Gbnf}");
    }
}
