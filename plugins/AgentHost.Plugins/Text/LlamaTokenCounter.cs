using AgentHost.Llama.Engine;

namespace AgentHost.Plugins.Text;

/// <summary>The loaded model's own tokenizer and per-slot context window.</summary>
public sealed class LlamaTokenCounter(LlamaEngine engine) : ITokenCounter
{
    public int ContextSize => engine.ContextSize;

    public int CountTokens(string text) =>
        string.IsNullOrEmpty(text) ? 0 : engine.Model.Tokenize(text, addSpecial: false, parseSpecial: false).Length;
}
