using AgentHost.Llama.Chat;
using AgentHost.Llama.Engine;
using AgentHost.Server.Hosting;
using AgentHost.Server.Limits;
using AgentHost.Server.Mapping;
using AgentHost.Server.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Endpoints;

/// <summary>
/// POST /apply-template: a chat-completions body, validated as /v1/chat/completions validates it, answered with
/// <c>{"prompt"}</c>, the text our chat formatter renders for it (tool instructions included), without generating.
/// </summary>
internal static class ApplyTemplateEndpoint
{
    public static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var engine = services.GetRequiredService<LlamaEngine>();
        var chat = services.GetRequiredService<LlamaChatClient>();
        var body = await JsonRequestBodyReader.ReadAsync<ChatCompletionRequest>(context, options.MaxRequestBodyBytes).ConfigureAwait(false);
        var request = ChatRequestMapper.Map(body, services.GetRequiredService<ModelNames>().Resolve(body.Model), options.MaxTokensLimit ?? engine.ContextSize, engine.Options.Defaults.MaxTokens);
        var prompt = chat.RenderPrompt(request.Messages, request.Options);
        await TokenizeEndpoints.WriteAsync(context, new { prompt = prompt.Text }).ConfigureAwait(false);
    }
}
