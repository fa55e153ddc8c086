using Xunit.Abstractions;

namespace AgentHost.Jinja.Tests;

/// <summary>Renders every (template, conversation) pair and compares with llama.cpp's own output byte for byte.</summary>
public sealed class GoldenTests(ITestOutputHelper output)
{
    public static TheoryData<string> AllPairs()
    {
        var data = new TheoryData<string>();
        foreach (var pair in GoldenCases.Pairs) data.Add(pair.Key);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Pair_matches_llama_cpp_or_is_listed_unsupported(string key)
    {
        var pair = GoldenCases.Pairs.Single(p => p.Key == key);
        var mismatch = GoldenCases.Mismatch(GoldenCases.Expected(pair), GoldenCases.Render(pair));
        var listed = GoldenCases.Unsupported().ContainsKey(key);
        if (listed)
            Assert.True(mismatch is not null, $"{key} is listed in unsupported.txt but now matches llama.cpp: remove it from the list");
        else
            Assert.True(mismatch is null, $"{key}: {mismatch}");
    }

    [Fact]
    public void Corpus_is_complete_and_the_unsupported_list_is_exactly_the_failing_set()
    {
        var conversations = GoldenCases.Conversations;
        Assert.True(GoldenCases.LlamaTemplates.Templates.Count >= 70, "expected the 70 llama.cpp templates");
        Assert.True(conversations.Count >= 8, $"expected the golden conversations, found {conversations.Count}");

        var unsupported = GoldenCases.Unsupported();
        var failing = new List<string>();
        foreach (var suite in GoldenCases.Suites)
        {
            var passed = 0;
            var expectedErrors = 0;
            foreach (var pair in GoldenCases.Pairs.Where(p => p.Suite == suite))
            {
                var expected = GoldenCases.Expected(pair);
                if (expected.Error is not null) expectedErrors++;
                var mismatch = GoldenCases.Mismatch(expected, GoldenCases.Render(pair));
                if (mismatch is null) passed++;
                else
                {
                    failing.Add(pair.Key);
                    output.WriteLine($"FAIL {pair.Key}: {mismatch}");
                }
            }
            output.WriteLine($"{suite.Name}: {passed}/{suite.Templates.Count * conversations.Count} pairs match llama.cpp " +
                             $"({suite.Templates.Count} templates x {conversations.Count} conversations, {expectedErrors} of them llama.cpp errors)");
        }

        Assert.Equal(unsupported.Keys.Order(StringComparer.Ordinal), failing.Order(StringComparer.Ordinal));
        Assert.All(unsupported, kv => Assert.False(string.IsNullOrWhiteSpace(kv.Value), $"{kv.Key} needs a reason"));
    }
}
