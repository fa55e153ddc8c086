using System.Collections.Concurrent;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.SemanticKernel;

namespace AgentHost.Agents.Tests.Support;

/// <summary>A read-only tool with a bounded argument (the grammar keeps random weights' calls short).</summary>
public sealed class WeatherTools
{
    public ConcurrentQueue<string> Calls { get; } = new();

    [KernelFunction, Description("Gets today's weather for a city.")]
    public string GetWeather([Description("The city."), RegularExpression("^(Paris|Oslo|Lima)$")] string city)
    {
        Calls.Enqueue(city);
        return $"Sunny in {city}";
    }
}

/// <summary>A tool that spends money: declared ApprovalRequired in the test agents.</summary>
public sealed class LedgerTools
{
    public ConcurrentQueue<string> Refunds { get; } = new();

    [KernelFunction, Description("Refunds an order to the customer.")]
    public string IssueRefund([Description("Why."), RegularExpression("^(damaged|late|wrong)$")] string reason)
    {
        Refunds.Enqueue(reason);
        return $"refunded ({reason})";
    }
}
