using System.Text.Json;
using AgentHost.Server.Errors;

namespace AgentHost.Server.Mapping;

/// <summary>Token-id arrays in request bodies (embeddings input, completions prompt, /detokenize).</summary>
internal static class TokenIdArray
{
    /// <summary>An array of non-negative int32 ids; 400 naming <c>path[j]</c> for anything else.</summary>
    public static int[] Read(JsonElement array, string path)
    {
        if (array.ValueKind != JsonValueKind.Array)
            throw OpenAiRequestException.BadRequest($"'{path}' must be an array of token ids.", path, "invalid_type");
        var ids = new int[array.GetArrayLength()];
        var j = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var id) || id < 0)
                throw OpenAiRequestException.BadRequest($"{path}[{j}] must be a token id (a non-negative integer), got {item.GetRawText()}.", $"{path}[{j}]", "invalid_type");
            ids[j++] = id;
        }
        return ids;
    }

    /// <summary>400 naming <c>path[j]</c> for the first id outside the vocabulary (a native call would abort on it).</summary>
    public static void CheckInVocabulary(int[] ids, int vocabCount, string path)
    {
        for (var j = 0; j < ids.Length; j++)
            if ((uint)ids[j] >= (uint)vocabCount)
                throw OpenAiRequestException.BadRequest($"Invalid token id {ids[j]} at {path}[{j}]: the vocabulary has ids 0..{vocabCount - 1}.", $"{path}[{j}]", "invalid_value");
    }
}
