using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using OpenAI;

namespace AgentHost.Server.Tests.Support;

/// <summary>Clients nobody here wrote, pointed at the loopback server: the OpenAI .NET SDK and SK's OpenAI connector.</summary>
public static class RealClients
{
    public static OpenAIClient OpenAi(LoopbackServer server) =>
        new(new ApiKeyCredential(server.ApiKey ?? "unused"), new OpenAIClientOptions { Endpoint = server.V1, NetworkTimeout = TimeSpan.FromMinutes(2) });

    /// <summary>MEAI's adapter over the OpenAI SDK's ChatClient.</summary>
    public static IChatClient Chat(LoopbackServer server) => OpenAi(server).GetChatClient(server.ModelId).AsIChatClient();

    public static IEmbeddingGenerator<string, Embedding<float>> Embeddings(LoopbackServer server) =>
        OpenAi(server).GetEmbeddingClient(server.ModelId).AsIEmbeddingGenerator();

    /// <summary>A Kernel whose chat service is SK's OpenAI connector on the server; plugins are the caller's.</summary>
    public static Kernel Kernel(LoopbackServer server, params object[] plugins)
    {
        var builder = Microsoft.SemanticKernel.Kernel.CreateBuilder();
        builder.AddOpenAIChatCompletion(server.ModelId, OpenAi(server));
        foreach (var plugin in plugins) builder.Plugins.AddFromObject(plugin);
        return builder.Build();
    }
}
