using System.Text;
using System.Text.Json;
using AgentHost.Llama.Engine;
using AgentHost.Server.Errors;
using AgentHost.Server.Limits;
using AgentHost.Server.Mapping;
using AgentHost.Server.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Endpoints;

/// <summary>POST /tokenize and POST /detokenize with the served model's vocabulary, as llama-server answers them.</summary>
internal static class TokenizeEndpoints
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task TokenizeAsync(HttpContext context)
    {
        var (engine, maxBytes) = Services(context);
        var body = await JsonRequestBodyReader.ReadAsync<TokenizeRequest>(context, maxBytes).ConfigureAwait(false);
        var content = body.Content ?? throw OpenAiRequestException.BadRequest("Missing required parameter: 'content'.", "content", "missing_required_parameter");
        var model = engine.Model;
        var tokens = model.Tokenize(content, body.AddSpecial ?? false, body.ParseSpecial ?? true);
        object result = body.WithPieces == true
            ? tokens.Select(id => new TokenPieceDto { Id = id, Piece = Piece(model.Handle.TokenToBytes(id, special: true)) }).ToList()
            : tokens;
        await WriteAsync(context, new TokenizeResponse { Tokens = result }).ConfigureAwait(false);
    }

    public static async Task DetokenizeAsync(HttpContext context)
    {
        var (engine, maxBytes) = Services(context);
        var body = await JsonRequestBodyReader.ReadAsync<DetokenizeRequest>(context, maxBytes).ConfigureAwait(false);
        if (body.Tokens is not { ValueKind: not JsonValueKind.Null } array)
            throw OpenAiRequestException.BadRequest("Missing required parameter: 'tokens'.", "tokens", "missing_required_parameter");
        var ids = TokenIdArray.Read(array, "tokens");
        TokenIdArray.CheckInVocabulary(ids, engine.Model.VocabCount, "tokens");
        await WriteAsync(context, new DetokenizeResponse { Content = engine.Model.Detokenize(ids, renderSpecial: true) }).ConfigureAwait(false);
    }

    private static object Piece(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Array.ConvertAll(bytes, b => (int)b);
        }
    }

    private static (LlamaEngine Engine, long MaxBytes) Services(HttpContext context) => (
        context.RequestServices.GetRequiredService<LlamaEngine>(),
        context.RequestServices.GetRequiredService<IOptions<ServerOptions>>().Value.MaxRequestBodyBytes);

    internal static Task WriteAsync<T>(HttpContext context, T body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, OpenAiJson.Options), context.RequestAborted);
    }
}
