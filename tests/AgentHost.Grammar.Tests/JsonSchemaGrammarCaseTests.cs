using AgentHost.Grammar.Tests.Recognizer;
using AgentHost.Grammar.Tests.Support;

namespace AgentHost.Grammar.Tests;

/// <summary>Checks every schema case: llama.cpp-compatible grammar text, valid instances accepted, invalid ones rejected.</summary>
public sealed class JsonSchemaGrammarCaseTests
{
    [Theory]
    [MemberData(nameof(SchemaCases.Names), MemberType = typeof(SchemaCases))]
    public void Grammar_accepts_valid_and_rejects_invalid_instances(string name)
    {
        var c = SchemaCases.Get(name);
        var harness = GrammarHarness.FromSchema(c.Schema);
        foreach (var valid in c.Valid) harness.AssertAccepts(valid);
        foreach (var invalid in c.Invalid) harness.AssertRejects(invalid);
        foreach (var restricted in c.Restricted ?? []) harness.AssertRejects(restricted);
    }

    [Theory]
    [MemberData(nameof(SchemaCases.ValidatorNames), MemberType = typeof(SchemaCases))]
    public void Independent_validator_agrees_with_the_case_table(string name)
    {
        var c = SchemaCases.Get(name);
        foreach (var valid in c.Valid.Concat(c.Restricted ?? []))
            Assert.True(SchemaValidator.IsValid(c.Schema, valid), $"NJsonSchema rejects the 'valid' instance {valid}");
        foreach (var invalid in c.Invalid)
            Assert.False(SchemaValidator.IsValid(c.Schema, invalid), $"NJsonSchema accepts the 'invalid' instance {invalid}");
    }

    [Theory]
    [MemberData(nameof(SchemaCases.ValidatorNames), MemberType = typeof(SchemaCases))]
    public void Every_sampled_grammar_string_is_valid_for_the_schema(string name)
    {
        var c = SchemaCases.Get(name);
        var harness = GrammarHarness.FromSchema(c.Schema);
        var sampler = new GbnfSampler(harness.Grammar, seed: name.Length * 7919);
        for (var i = 0; i < 40; i++)
        {
            var sample = sampler.Sample();
            Assert.True(SchemaValidator.IsValid(c.Schema, sample), $"grammar produced {sample}, which is invalid for {c.Schema}\n{harness.Gbnf}");
            harness.AssertAccepts(sample);
        }
    }

    [Theory]
    [MemberData(nameof(SchemaCases.Names), MemberType = typeof(SchemaCases))]
    public void Grammar_text_respects_llama_cpp_syntax(string name)
    {
        var gbnf = JsonSchemaGrammar.FromSchemaJson(SchemaCases.Get(name).Schema);
        var lines = gbnf.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("root ::= ", lines[0], StringComparison.Ordinal);
        foreach (var line in lines)
        {
            var ruleName = line[..line.IndexOf(" ::= ", StringComparison.Ordinal)];
            Assert.Matches("^[a-zA-Z0-9-]+$", ruleName);
        }
        Assert.Equal(lines.Length, lines.Select(l => l[..l.IndexOf(' ', StringComparison.Ordinal)]).Distinct().Count());
        GbnfParser.Parse(gbnf); // throws on anything llama.cpp's parser would reject
    }
}
