namespace AgentHost.Server.Hosting;

/// <summary>Whether the model has been loaded (set by <see cref="ModelWarmupService"/>), for /health.</summary>
internal sealed class ModelReadiness
{
    private volatile bool _ready;
    private volatile Exception? _failure;

    public bool IsReady => _ready;
    public Exception? Failure => _failure;

    public void MarkReady() => _ready = true;
    public void MarkFailed(Exception failure) => _failure = failure;
}
