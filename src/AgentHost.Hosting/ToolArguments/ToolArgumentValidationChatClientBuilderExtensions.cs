using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentHost.Hosting.ToolArguments;

/// <summary>MEAI function invocation whose calls are validated against each function's JSON schema first.</summary>
public static class ToolArgumentValidationChatClientBuilderExtensions
{
    /// <summary>
    /// Like <c>UseFunctionInvocation()</c>, with <see cref="FunctionInvokingChatClient.FunctionInvoker"/> set to a
    /// <see cref="ToolArgumentValidator"/>: a call whose arguments break the function's schema is not made, and the
    /// violation goes back to the model as the function's result (the request itself succeeds).
    /// </summary>
    public static ChatClientBuilder UseFunctionInvocationWithArgumentValidation(this ChatClientBuilder builder, ILoggerFactory? loggerFactory = null, Action<FunctionInvokingChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var factory = loggerFactory ?? services.GetService<ILoggerFactory>();
            var client = new FunctionInvokingChatClient(inner, factory, services);
            configure?.Invoke(client);
            // Wraps whatever invoker configure set, so validation always runs first.
            client.FunctionInvoker = new ToolArgumentValidator(factory?.CreateLogger<ToolArgumentValidator>()).Invoker(client.FunctionInvoker);
            return client;
        });
    }
}
