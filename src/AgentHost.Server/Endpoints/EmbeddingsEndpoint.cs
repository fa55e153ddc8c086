using System.Runtime.InteropServices;
using System.Text.Json;
using AgentHost.Llama.Embeddings;
using AgentHost.Server.Errors;
using AgentHost.Server.Hosting;
using AgentHost.Server.Limits;
using AgentHost.Server.Mapping;
using AgentHost.Server.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Endpoints;

/// <summary>POST /v1/embeddings through the DI <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> (by default the model's own, mean-pooled).</summary>
internal static class EmbeddingsEndpoint
{
    /// <summary>Most inputs in one request (OpenAI's own limit).</summary>
    private const int MaxInputs = 2048;

    public static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var modelId = generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? "embeddings";
        var names = services.GetRequiredService<ModelNames>();

        var body = await JsonRequestBodyReader.ReadAsync<EmbeddingsRequest>(context, options.MaxRequestBodyBytes).ConfigureAwait(false);
        names.Resolve(body.Model);
        var base64 = body.EncodingFormat switch
        {
            null or "float" => false,
            "base64" => true,
            var other => throw OpenAiRequestException.BadRequest($"Invalid value for 'encoding_format': '{other}'. Supported values are: 'float' and 'base64'.", "encoding_format", "invalid_value"),
        };
        var (texts, tokens) = Inputs(body.Input);
        var generationOptions = new EmbeddingGenerationOptions { Dimensions = body.Dimensions };
        GeneratedEmbeddings<Embedding<float>> embeddings;
        if (tokens is null)
        {
            embeddings = await generator.GenerateAsync(texts!, generationOptions, context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            // Token ids mean this model's vocabulary: only the model's own generator can take them.
            var llama = generator.GetService<LlamaEmbeddingGenerator>()
                ?? throw OpenAiRequestException.BadRequest("This server's embedding generator takes text only; send 'input' as strings.", "input", "invalid_type");
            embeddings = await llama.GenerateFromTokensAsync(tokens, generationOptions, context.RequestAborted).ConfigureAwait(false);
        }
        var usage = (int)(embeddings.Usage?.InputTokenCount ?? 0);
        var response = new EmbeddingsResponse
        {
            Model = modelId,
            Data = embeddings.Select((e, i) => new EmbeddingDataDto
            {
                Index = i,
                // The float32 bytes, little-endian, as the OpenAI SDKs decode them.
                Embedding = base64 ? Convert.ToBase64String(MemoryMarshal.AsBytes(e.Vector.Span)) : e.Vector.ToArray(),
            }).ToList(),
            Usage = new EmbeddingsUsageDto { PromptTokens = usage, TotalTokens = usage },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(response, OpenAiJson.Options), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// OpenAI's four input shapes: a string, strings, one token array, or token arrays (ids are checked against the
    /// vocabulary by the generator). Exactly one of the results is set.
    /// </summary>
    private static (List<string>? Texts, List<IReadOnlyList<int>>? Tokens) Inputs(JsonElement? input)
    {
        if (input is not { } value || value.ValueKind == JsonValueKind.Null)
            throw OpenAiRequestException.BadRequest("Missing required parameter: 'input'.", "input", "missing_required_parameter");
        if (value.ValueKind == JsonValueKind.String) return ([value.GetString()!], null);
        if (value.ValueKind != JsonValueKind.Array)
            throw OpenAiRequestException.BadRequest("'input' must be a string, an array of strings, an array of token ids or an array of token-id arrays.", "input", "invalid_type");
        var count = value.GetArrayLength();
        if (count == 0) throw OpenAiRequestException.BadRequest("'input' must not be an empty array.", "input", "empty_array");
        if (count > MaxInputs) throw OpenAiRequestException.BadRequest($"At most {MaxInputs} inputs per request, got {count}.", "input", "invalid_value");
        switch (value[0].ValueKind)
        {
            case JsonValueKind.Number:
                return (null, [TokenIdArray.Read(value, "input")]);
            case JsonValueKind.Array:
                var arrays = new List<IReadOnlyList<int>>(count);
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    var path = $"input[{i++}]";
                    if (item.ValueKind != JsonValueKind.Array)
                        throw OpenAiRequestException.BadRequest($"{path} must be an array of token ids, like the other inputs.", path, "invalid_type");
                    if (item.GetArrayLength() == 0) throw OpenAiRequestException.BadRequest($"{path} must not be an empty array.", path, "empty_array");
                    arrays.Add(TokenIdArray.Read(item, path));
                }
                return (null, arrays);
            default:
                var list = new List<string>(count);
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                        throw OpenAiRequestException.BadRequest($"input[{list.Count}] must be a string, like the other inputs.", $"input[{list.Count}]", "invalid_type");
                    list.Add(item.GetString()!);
                }
                return (list, null);
        }
    }
}
