namespace AgentHost.Plugins.Text;

/// <summary>
/// Creates the real counter on first use, so building a kernel (listing functions, a host that never runs a
/// long-text function) does not load the model just to size chunks.
/// </summary>
public sealed class DeferredTokenCounter(Func<ITokenCounter> create) : ITokenCounter
{
    private readonly Lazy<ITokenCounter> _counter = new(create);

    public int ContextSize => _counter.Value.ContextSize;

    public int CountTokens(string text) => _counter.Value.CountTokens(text);
}
