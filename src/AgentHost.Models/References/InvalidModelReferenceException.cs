namespace AgentHost.Models;

/// <summary>
/// A model reference could not be understood: empty text, an unsupported scheme, a malformed
/// <c>hf:OWNER/REPO/FILE.gguf[@REVISION]</c>, a URL without a file name, or an impossible split-file name.
/// The message names the text and what is wrong with it.
/// </summary>
public sealed class InvalidModelReferenceException : FormatException
{
    /// <summary>Creates the exception for <paramref name="reference"/> with a description of the problem.</summary>
    public InvalidModelReferenceException(string reference, string problem)
        : base($"Invalid model reference '{reference}': {problem}. " +
               "Use a path to a .gguf file, hf:OWNER/REPO/FILE.gguf[@REVISION], or an https:// URL.")
    {
        Reference = reference;
        Problem = problem;
    }

    /// <summary>The text that was being parsed.</summary>
    public string Reference { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
