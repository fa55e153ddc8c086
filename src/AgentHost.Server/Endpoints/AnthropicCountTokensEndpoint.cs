using System.Text.Json;
using AgentHost.Llama.Chat;
using AgentHost.Llama.Engine;
using AgentHost.Server.Errors;
using AgentHost.Server.Limits;
using AgentHost.Server.Mapping;
using AgentHost.Server.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Endpoints;

/// <summary>
/// POST /v1/messages/count_tokens: the prompt tokens /v1/messages would evaluate for the same system, messages,
/// tools and tool_choice, rendered and tokenized exactly as generation does (no slot, no decoding).
/// </summary>
internal static class AnthropicCountTokensEndpoint
{
    public static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var engine = services.GetRequiredService<LlamaEngine>();
        var client = services.GetRequiredKeyedService<IChatClient>(ServerServiceCollectionExtensions.ChatClientServiceKey);

        var body = await JsonRequestBodyReader.ReadAsync<AnthropicMessagesRequest>(context, options.MaxRequestBodyBytes).ConfigureAwait(false);
        var request = AnthropicRequestMapper.Map(body, engine.ModelId, options.MaxTokensLimit ?? engine.ContextSize, countOnly: true);
        var counter = client.GetService<LlamaChatClient>() ?? services.GetRequiredService<LlamaChatClient>();
        var count = counter.CountPromptTokens(request.Messages, request.Options);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new AnthropicTokenCount { InputTokens = count }, OpenAiJson.Options), context.RequestAborted).ConfigureAwait(false);
    }
}
