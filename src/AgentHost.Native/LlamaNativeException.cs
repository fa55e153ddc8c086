namespace AgentHost.Native;

/// <summary>Base of every error AgentHost raises around llama.cpp: always names what failed and why.</summary>
public class LlamaException : Exception
{
    public LlamaException(string message) : base(message) { }
    public LlamaException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>The native runtime (libllama / libggml / a backend) could not be found or loaded.</summary>
public sealed class NativeLibraryException : LlamaException
{
    public NativeLibraryException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>llama.cpp refused a model file; <see cref="Reason"/> is what it logged.</summary>
public sealed class ModelLoadException : LlamaException
{
    public ModelLoadException(string path, string reason)
        : base($"Could not load model '{path}': {reason}")
    {
        ModelPath = path;
        Reason = reason;
    }

    public string ModelPath { get; }
    public string Reason { get; }
}
