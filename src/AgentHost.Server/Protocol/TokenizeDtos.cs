using System.Text.Json;

namespace AgentHost.Server.Protocol;

// llama-server's utility endpoints: POST /tokenize, POST /detokenize (same field names and defaults).

internal sealed class TokenizeRequest
{
    public string? Content { get; set; }
    /// <summary>Add BOS/EOS as the vocabulary says (default false, as llama-server).</summary>
    public bool? AddSpecial { get; set; }
    /// <summary>Turn special-token text (e.g. &lt;|im_start|&gt;) into those tokens (default true).</summary>
    public bool? ParseSpecial { get; set; }
    /// <summary>Answer {id, piece} per token instead of bare ids.</summary>
    public bool? WithPieces { get; set; }
}

internal sealed class DetokenizeRequest
{
    public JsonElement? Tokens { get; set; }
}

internal sealed class TokenizeResponse
{
    /// <summary>Token ids, or <see cref="TokenPieceDto"/>s with with_pieces.</summary>
    public required object Tokens { get; init; }
}

internal sealed class TokenPieceDto
{
    public int Id { get; init; }
    /// <summary>The piece as a string when it is valid UTF-8 on its own, else its bytes (a token may end mid-character).</summary>
    public required object Piece { get; init; }
}

internal sealed class DetokenizeResponse
{
    public required string Content { get; init; }
}
