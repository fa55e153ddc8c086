using System.Runtime.InteropServices;
using System.Text.Json;
using AgentHost.Server.Errors;
using AgentHost.Server.Limits;
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

        var body = await JsonRequestBodyReader.ReadAsync<EmbeddingsRequest>(context, options.MaxRequestBodyBytes).ConfigureAwait(false);
        if (body.Model is { Length: > 0 } model && !string.Equals(model, modelId, StringComparison.Ordinal))
            throw OpenAiRequestException.NotFound($"The model '{model}' does not exist; this server serves '{modelId}'.", "model", "model_not_found");
        var base64 = body.EncodingFormat switch
        {
            null or "float" => false,
            "base64" => true,
            var other => throw OpenAiRequestException.BadRequest($"Invalid value for 'encoding_format': '{other}'. Supported values are: 'float' and 'base64'.", "encoding_format", "invalid_value"),
        };
        var inputs = Inputs(body.Input);

        var embeddings = await generator.GenerateAsync(inputs, new EmbeddingGenerationOptions { Dimensions = body.Dimensions }, context.RequestAborted).ConfigureAwait(false);
        var tokens = (int)(embeddings.Usage?.InputTokenCount ?? 0);
        var response = new EmbeddingsResponse
        {
            Model = modelId,
            Data = embeddings.Select((e, i) => new EmbeddingDataDto
            {
                Index = i,
                // The float32 bytes, little-endian, as the OpenAI SDKs decode them.
                Embedding = base64 ? Convert.ToBase64String(MemoryMarshal.AsBytes(e.Vector.Span)) : e.Vector.ToArray(),
            }).ToList(),
            Usage = new EmbeddingsUsageDto { PromptTokens = tokens, TotalTokens = tokens },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(response, OpenAiJson.Options), context.RequestAborted).ConfigureAwait(false);
    }

    private static List<string> Inputs(JsonElement? input)
    {
        if (input is not { } value || value.ValueKind == JsonValueKind.Null)
            throw OpenAiRequestException.BadRequest("Missing required parameter: 'input'.", "input", "missing_required_parameter");
        if (value.ValueKind == JsonValueKind.String) return [value.GetString()!];
        if (value.ValueKind != JsonValueKind.Array)
            throw OpenAiRequestException.BadRequest("'input' must be a string or an array of strings.", "input", "invalid_type");
        var list = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw OpenAiRequestException.BadRequest($"input[{list.Count}] must be a string (token arrays are not supported).", $"input[{list.Count}]", "invalid_type");
            list.Add(item.GetString()!);
        }
        if (list.Count == 0) throw OpenAiRequestException.BadRequest("'input' must not be an empty array.", "input", "empty_array");
        if (list.Count > MaxInputs) throw OpenAiRequestException.BadRequest($"At most {MaxInputs} inputs per request, got {list.Count}.", "input", "invalid_value");
        return list;
    }
}
