using System.Security.Cryptography;

namespace AgentHost.Grammar;

/// <summary>Generates tool-call ids for formats that do not carry one.</summary>
public static class ToolCallIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>A random 9-character alphanumeric id (the shape Mistral templates require).</summary>
    public static string New() => RandomNumberGenerator.GetString(Alphabet, 9);
}
