using System.Text.RegularExpressions;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins.CustomerService;

/// <summary>
/// The customer a conversation is with, carried in <see cref="Kernel.Data"/>. When set, the tools act for that
/// customer only: the model cannot read another customer's orders or tickets by naming a different id.
/// </summary>
public static partial class CustomerContext
{
    public const string DataKey = "agenthost.customer_id";

    /// <summary>A clone of <paramref name="kernel"/> scoped to <paramref name="customerId"/>.</summary>
    public static Kernel For(Kernel kernel, string customerId)
    {
        var scoped = kernel.Clone();
        scoped.Data[DataKey] = ValidateId(customerId, "customer_id");
        return scoped;
    }

    public static string? Get(Kernel kernel) => kernel.Data.TryGetValue(DataKey, out var v) ? v as string : null;

    /// <summary>The customer a tool acts for: the conversation's, or the argument when there is no conversation.</summary>
    internal static string Resolve(Kernel kernel, string? argument)
    {
        var scoped = Get(kernel);
        var given = string.IsNullOrWhiteSpace(argument) ? null : argument.Trim();
        if (scoped is not null)
        {
            if (given is not null && !string.Equals(given, scoped, StringComparison.OrdinalIgnoreCase))
                throw new PluginInputException("customer_id", $"this conversation is with customer {scoped}; leave customer_id empty");
            return scoped;
        }
        return given is null ? throw new PluginInputException("customer_id", "is required (no customer is signed in to this conversation)") : ValidateId(given, "customer_id");
    }

    /// <summary>Whether a record owned by <paramref name="owner"/> may be shown in this kernel's conversation.</summary>
    internal static bool MayAccess(Kernel kernel, string owner) => Get(kernel) is not { } scoped || string.Equals(scoped, owner, StringComparison.OrdinalIgnoreCase);

    public static string ValidateId(string? customerId, string parameter)
    {
        var id = customerId?.Trim() ?? "";
        if (!CustomerIdPattern().IsMatch(id))
            throw new PluginInputException(parameter, $"'{customerId}' is not a customer id (letters, digits, '.', '_', '-', '@'; at most 64 characters)");
        return id;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.@\-]{0,63}$")]
    private static partial Regex CustomerIdPattern();
}
