using AgentHost.Llama.Chat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentHost.Server.Hosting;

/// <summary>
/// Loads the model (and resolves the chat template) while the host starts, so a bad model path or template fails
/// the start instead of the first request, and the first request does not pay for the load.
/// </summary>
internal sealed class ModelWarmupService(IServiceProvider services, ModelReadiness readiness) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            services.GetRequiredService<LlamaChatClient>();
            readiness.MarkReady();
        }
        catch (Exception ex)
        {
            readiness.MarkFailed(ex);
            throw;
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
