using AgentHost.Grammar.Tests.Recognizer;
using AgentHost.Tests;

namespace AgentHost.Grammar.Tests;

/// <summary>
/// The test-side GBNF parser and recognizer against llama.cpp's own grammar files and its parser's rules, so that the
/// grammar tests built on them mean what they say.
/// </summary>
public sealed class GbnfRecognizerTests
{
    public static TheoryData<string> LlamaGrammarFiles() =>
        new(Directory.GetFiles(Path.Combine(TestAssets.LlamaSource, "grammars"), "*.gbnf").Select(Path.GetFileName).OfType<string>().Order());

    [Theory]
    [MemberData(nameof(LlamaGrammarFiles))]
    public void Parses_every_grammar_shipped_with_llama_cpp(string file)
    {
        var grammar = GbnfParser.Parse(File.ReadAllText(Path.Combine(TestAssets.LlamaSource, "grammars", file)));
        Assert.NotEmpty(grammar.Rules);
    }

    [Theory]
    [InlineData("""{"a": [1, 2.5e3, "x\u00e9"], "b": {"c": null}}""", true)]
    [InlineData("""[true, false]""", false)] // json.gbnf's root is an object
    [InlineData("""{"a": }""", false)]
    public void Llama_json_gbnf_recognizes_json(string text, bool expected)
    {
        var recognizer = EarleyRecognizer.FromText(File.ReadAllText(Path.Combine(TestAssets.LlamaSource, "grammars", "json.gbnf")));
        Assert.Equal(expected, recognizer.Accepts(text));
    }

    [Theory]
    [InlineData("root ::= \"a\"+ [b-d]* (\"x\" | \"y\"){2,3} .", "aabxyz", true)]
    [InlineData("root ::= \"a\"+ [b-d]* (\"x\" | \"y\"){2,3} .", "axz", false)]
    [InlineData("root ::= [^a-c]{1,2}", "dd", true)]
    [InlineData("root ::= [^a-c]{1,2}", "b", false)]
    [InlineData("root ::= \"ab\"{2}", "abab", true)]
    [InlineData("root ::= \"ab\"{2}", "abb", false)]
    [InlineData("root ::= x \"!\"\nx ::= \"\\u00e9\" | \"\\x41\" | \"\\\"\"", "\u00e9!", true)]
    [InlineData("root ::= x \"!\"\nx ::= \"\\u00e9\" | \"\\x41\" | \"\\\"\"", "\"!", true)]
    [InlineData("root ::= ( \"a\" | ) \"b\"", "b", true)]
    [InlineData("root ::= ( \"a\" | ) \"b\"", "ab", true)]
    public void Recognizes_core_gbnf_constructs(string gbnf, string text, bool expected) =>
        Assert.Equal(expected, EarleyRecognizer.FromText(gbnf).Accepts(text));

    [Theory]
    [InlineData("root ::= foo_bar\nfoo_bar ::= \"a\"")] // '_' is not a rule-name character
    [InlineData("root ::= undefined-rule")]
    [InlineData("root ::= root \"a\" | \"b\"")]
    [InlineData("root ::= x\nx ::= y? root \"a\"\ny ::= \"b\"")]
    [InlineData("root ::= \"a\"{2001}")]
    [InlineData("root ::= ( \"a\" | )+ \"b\"")] // nullable item under + is left-recursive after rewriting
    [InlineData("root ::= ( \"a\"{0,100} ){0,100}")]
    [InlineData("root ::= \"\\q\"")]
    [InlineData("root ::= [a-")]
    [InlineData("root := \"a\"")]
    public void Rejects_what_llama_cpp_rejects(string gbnf) =>
        Assert.Throws<GbnfSyntaxException>(() => GbnfParser.Parse(gbnf));

    [Fact]
    public void Prefix_acceptance_tracks_viable_prefixes()
    {
        var recognizer = EarleyRecognizer.FromText("root ::= \"<tool_call>\" [0-9]+ \"</tool_call>\"");
        Assert.True(recognizer.AcceptsPrefix("<tool_c"));
        Assert.True(recognizer.AcceptsPrefix("<tool_call>12"));
        Assert.False(recognizer.AcceptsPrefix("<tool_call>x"));
        Assert.False(recognizer.Accepts("<tool_call>12"));
    }
}
