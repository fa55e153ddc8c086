using AgentHost.Llama.Chat;
using AgentHost.Llama.Engine;
using AgentHost.Native;
using AgentHost.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Server.Endpoints;

/// <summary>GET /props: the served model, its chat template, context and slots, the backend and its devices, and the generation defaults (llama-server's names where it has them).</summary>
internal static class PropsEndpoint
{
    public static Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var engine = services.GetRequiredService<LlamaEngine>();
        var chat = services.GetRequiredService<LlamaChatClient>();
        var names = services.GetRequiredService<ModelNames>();
        var vocab = engine.Model.Handle;
        var defaults = engine.Options.Defaults;
        return TokenizeEndpoints.WriteAsync(context, new
        {
            model = names.ServedId,
            model_aliases = names.Aliases,
            model_path = engine.Model.Path,
            architecture = engine.Model.Architecture,
            n_ctx = engine.ContextSize,
            n_vocab = engine.Model.VocabCount,
            total_slots = engine.SlotCount,
            chat_template = chat.Formatter.TemplateSource ?? chat.Formatter.TemplateName,
            chat_template_name = chat.Formatter.TemplateName,
            bos_token = vocab.BosToken >= 0 ? vocab.TokenText(vocab.BosToken) : null,
            eos_token = vocab.EosToken >= 0 ? vocab.TokenText(vocab.EosToken) : null,
            build_info = names.SystemFingerprint,
            backend = LlamaNativeLibrary.Selection?.Backend.ToString(),
            devices = (LlamaNativeLibrary.Selection?.Devices ?? []).Select(d => new { name = d.Name, description = d.Description, kind = d.Kind.ToString(), memory_total = d.TotalBytes, memory_free = d.FreeBytes }),
            default_generation_settings = new
            {
                temperature = defaults.Temperature,
                top_k = defaults.TopK,
                top_p = defaults.TopP,
                min_p = defaults.MinP,
                repeat_penalty = defaults.RepeatPenalty,
                max_tokens = defaults.MaxTokens,
                seed = defaults.Seed,
                max_top_logprobs = GenerationRequest.MaxTopLogprobs,
            },
        });
    }
}
