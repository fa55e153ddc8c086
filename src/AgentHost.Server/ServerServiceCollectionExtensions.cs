using AgentHost.Hosting;
using AgentHost.Llama.Chat;
using AgentHost.Llama.Embeddings;
using AgentHost.Llama.Engine;
using AgentHost.Llama.Options;
using AgentHost.Server.Hosting;
using AgentHost.Server.Metrics;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentHost.Server;

/// <summary>Registers the OpenAI-compatible server's services; map its endpoints with <see cref="OpenAiEndpointRouteBuilderExtensions.MapAgentHostOpenAi"/>.</summary>
public static class ServerServiceCollectionExtensions
{
    /// <summary>
    /// Key of the <see cref="IChatClient"/> the chat endpoint uses. By default the raw <see cref="LlamaChatClient"/>
    /// with OpenTelemetry: no function invocation, because the HTTP client runs its own tools. Register a keyed
    /// client under this key before <see cref="AddAgentHostServer"/> to compose another pipeline.
    /// </summary>
    public const string ChatClientServiceKey = "AgentHost.Server";

    /// <summary>
    /// Binds <see cref="ServerOptions"/> from the "Server" section (validated at start), points Kestrel at
    /// <see cref="ServerOptions.Urls"/>, and registers what the endpoints use: the server's chat client, an
    /// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over the same model (<see cref="LlamaEmbeddingGenerator"/>),
    /// metrics, and the start-up model load. Adds the local model (<c>AddLlamaChatClient(configuration)</c>) when
    /// it is not registered yet.
    /// </summary>
    public static IServiceCollection AddAgentHostServer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (!services.Any(d => d.ServiceType == typeof(LlamaChatClient))) services.AddLlamaChatClient(configuration);

        services.AddOptions<ServerOptions>()
            .Bind(configuration.GetSection(ServerOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => TryParseUrls(o.Urls), "Server:Urls must be ';'-separated http://HOST:PORT addresses (HOST an IP address, localhost or *).")
            .ValidateOnStart();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ServerOptions>>((kestrel, server) => KestrelEndpoints.Apply(kestrel, server.Value));

        services.TryAddSingleton<ServerMetrics>();
        services.TryAddSingleton<ModelReadiness>();
        services.TryAddSingleton<ModelNames>();
        services.AddHostedService<ModelWarmupService>();
        services.TryAddKeyedSingleton<IChatClient>(ChatClientServiceKey, (sp, _) =>
            new ChatClientBuilder(sp.GetRequiredKeyedService<IChatClient>(LlamaServiceCollectionExtensions.ModelChatClientKey))
                // Traces and metrics only: its logger would warn on every client that disconnects, which for a
                // server is routine, not a problem.
                .UseOpenTelemetry(NullLoggerFactory.Instance, sourceName: "AgentHost.Server")
                .Build(sp));
        services.TryAddSingleton(sp => new LlamaEmbeddingGenerator(sp.GetRequiredService<LlamaEngine>().Model, sp.GetRequiredService<IOptions<LlamaOptions>>().Value));
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => sp.GetRequiredService<LlamaEmbeddingGenerator>());
        return services;
    }

    private static bool TryParseUrls(string? urls)
    {
        if (string.IsNullOrWhiteSpace(urls)) return false;
        try
        {
            foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) KestrelEndpoints.Parse(url);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
