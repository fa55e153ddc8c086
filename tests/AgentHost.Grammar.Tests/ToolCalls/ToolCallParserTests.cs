namespace AgentHost.Grammar.Tests.ToolCalls;

/// <summary>Complete-reply parsing for every format.</summary>
public sealed class ToolCallParserTests
{
    [Theory]
    [MemberData(nameof(ParseScenarios.Names), MemberType = typeof(ParseScenarios))]
    public void Parses_complete_replies(string name)
    {
        var scenario = ParseScenarios.Get(name);
        var result = ToolCallParser.Parse(ToolCallFormat.For(scenario.Format), scenario.Output, ToolFixtures.Counter());
        ToolCallAssert.Matches(scenario, result.Text, result.ToolCalls);
    }

    [Fact]
    public void Generated_ids_are_nine_alphanumerics()
    {
        var result = ToolCallFormat.Hermes.Parse(ToolFixtures.HermesCall("search", ToolFixtures.SearchArgs));
        Assert.Matches("^[a-zA-Z0-9]{9}$", Assert.Single(result.ToolCalls).Id);
    }

    [Fact]
    public void Arguments_parse_to_json()
    {
        var call = Assert.Single(ToolCallFormat.Llama3Json.Parse(ToolFixtures.Llama3Call("get_weather", ToolFixtures.WeatherArgs)).ToolCalls);
        Assert.Equal("Paris", call.ParseArguments().GetProperty("location").GetString());
    }
}
