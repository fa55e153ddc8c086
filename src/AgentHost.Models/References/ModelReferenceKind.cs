namespace AgentHost.Models;

/// <summary>Where a model file comes from.</summary>
public enum ModelReferenceKind
{
    /// <summary>A file on this machine, used where it is.</summary>
    LocalPath,

    /// <summary>A file in a Hugging Face repository (<c>hf:OWNER/REPO/FILE.gguf[@REVISION]</c>), fetched through the resolve endpoint.</summary>
    HuggingFace,

    /// <summary>A plain http(s) URL.</summary>
    Url,
}
