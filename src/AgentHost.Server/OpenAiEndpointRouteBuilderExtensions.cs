using AgentHost.Server.Endpoints;
using AgentHost.Server.Errors;
using AgentHost.Server.Metrics;
using AgentHost.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AgentHost.Server;

/// <summary>Maps the OpenAI-compatible HTTP API; the services come from <see cref="ServerServiceCollectionExtensions.AddAgentHostServer"/>.</summary>
public static class OpenAiEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps POST /v1/chat/completions, POST /v1/completions, POST /v1/embeddings, GET /v1/models[/{id}], GET /v1/plugins,
    /// POST /v1/plugins/{plugin}/{function}, GET /metrics (all behind the optional API key), GET /health (open),
    /// the OpenAI routes again without /v1, POST /tokenize, /detokenize, /apply-template, GET /props,
    /// and an OpenAI-shaped 404 for any other /v1 URL. Every error is an OpenAI error body with its 4xx/5xx status.
    /// </summary>
    public static IEndpointRouteBuilder MapAgentHostOpenAi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/v1/chat/completions", Protected("chat_completions", ChatCompletionsEndpoint.HandleAsync));
        endpoints.MapPost("/v1/embeddings", Protected("embeddings", EmbeddingsEndpoint.HandleAsync));
        endpoints.MapGet("/v1/models", Protected("models", ModelsEndpoint.ListAsync));
        endpoints.MapGet("/v1/models/{id}", Protected("models", ModelsEndpoint.GetAsync));
        endpoints.MapGet("/v1/plugins", Protected("plugins", PluginsEndpoint.ListAsync));
        endpoints.MapPost("/v1/plugins/{plugin}/{function}", Protected("plugins", PluginsEndpoint.InvokeAsync));
        endpoints.MapPost("/v1/completions", Protected("completions", CompletionsEndpoint.HandleAsync));
        // The same handlers without /v1, for clients whose base URL lacks it (llama-server answers both).
        endpoints.MapPost("/chat/completions", Protected("chat_completions", ChatCompletionsEndpoint.HandleAsync));
        endpoints.MapPost("/completions", Protected("completions", CompletionsEndpoint.HandleAsync));
        endpoints.MapPost("/embeddings", Protected("embeddings", EmbeddingsEndpoint.HandleAsync));
        endpoints.MapGet("/models", Protected("models", ModelsEndpoint.ListAsync));
        endpoints.MapGet("/models/{id}", Protected("models", ModelsEndpoint.GetAsync));
        // llama-server's utility endpoints.
        endpoints.MapPost("/tokenize", Protected("tokenize", TokenizeEndpoints.TokenizeAsync));
        endpoints.MapPost("/detokenize", Protected("detokenize", TokenizeEndpoints.DetokenizeAsync));
        endpoints.MapPost("/apply-template", Protected("apply_template", ApplyTemplateEndpoint.HandleAsync));
        endpoints.MapGet("/props", Protected("props", PropsEndpoint.HandleAsync));
        endpoints.MapGet("/metrics", Protected("metrics", MetricsEndpoint.HandleAsync));
        // Health stays open: probes and load balancers carry no key.
        endpoints.MapGet("/health", RequestMetrics.Track("health", OpenAiErrorResponses.Wrap(HealthEndpoint.HandleAsync)));
        endpoints.Map("/v1/{**rest}", Protected("unknown", UnknownRouteEndpoint.HandleAsync));
        return endpoints;
    }

    /// <summary>Counted, errors mapped, key checked — in that order from the outside, so 401s are counted and shaped too.</summary>
    private static RequestDelegate Protected(string name, RequestDelegate handler) =>
        RequestMetrics.Track(name, OpenAiErrorResponses.Wrap(ApiKeyAuthorization.Protect(handler)));
}
