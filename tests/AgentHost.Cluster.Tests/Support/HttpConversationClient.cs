using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Cluster.Grains;

namespace AgentHost.Cluster.Tests.Support;

/// <summary>What the client saw of one turn sent over HTTP: the reply, the node that answered (X-AgentHost-Node), the usage.</summary>
internal sealed record HttpTurnResult(int Conversation, int Turn, string Reply, string Node, string Entry, int PromptTokens, int CachedTokens, int CompletionTokens, bool Replayed, bool Streamed);

/// <summary>A turn the node refused or lost (HTTP status, an error event in the stream, a stream cut short).</summary>
internal sealed class TurnFailedException(string message) : Exception(message);

/// <summary>Sends conversation turns to a node's POST /v1/chat/completions with X-Conversation-Id and X-Conversation-Turn, as any OpenAI client would.</summary>
internal sealed class HttpConversationClient(HttpClient http)
{
    public async Task<HttpTurnResult> SendAsync(string baseUrl, string id, int conversation, int turn, IReadOnlyList<ConversationMessage> messages, int maxTokens, bool stream, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content })]),
            ["max_tokens"] = maxTokens,
            ["temperature"] = 0,
            ["stream"] = stream,
        };
        if (stream) body["stream_options"] = new JsonObject { ["include_usage"] = true };
        using var request = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/v1/chat/completions")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Conversation-Id", id);
        request.Headers.Add("X-Conversation-Turn", turn.ToString(CultureInfo.InvariantCulture));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new TurnFailedException($"{baseUrl} {id} turn {turn}: HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        var node = Header(response.Headers, "X-AgentHost-Node");
        var answeredTurn = int.Parse(Header(response.Headers, "X-Conversation-Turn"), CultureInfo.InvariantCulture);
        if (answeredTurn != turn) throw new InvalidOperationException($"{id}: sent turn {turn}, the node answered turn {answeredTurn}");
        var replayed = response.Headers.TryGetValues("X-Conversation-Replayed", out var r) && r.Single() == "true";

        string reply;
        JsonNode? usage;
        if (!stream)
        {
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
            reply = json["choices"]![0]!["message"]!["content"]?.GetValue<string>() ?? "";
            usage = json["usage"];
        }
        else
        {
            (reply, usage) = await ReadStreamAsync(response, id, turn, cancellationToken);
        }
        return new HttpTurnResult(conversation, turn, reply, node, baseUrl,
            usage?["prompt_tokens"]?.GetValue<int>() ?? 0,
            usage?["prompt_tokens_details"]?["cached_tokens"]?.GetValue<int>() ?? 0,
            usage?["completion_tokens"]?.GetValue<int>() ?? 0,
            replayed, stream);
    }

    /// <summary>The stored history, from GET /v1/cluster/conversations/{id} of any node.</summary>
    public async Task<List<(string Role, string Content)>> HistoryAsync(string baseUrl, string id, CancellationToken cancellationToken)
    {
        var json = JsonNode.Parse(await http.GetStringAsync($"{baseUrl}/v1/cluster/conversations/{Uri.EscapeDataString(id)}", cancellationToken))!;
        return [.. json["messages"]!.AsArray().Select(m => (m!["role"]!.GetValue<string>(), m["content"]!.GetValue<string>()))];
    }

    /// <summary>GET /v1/cluster/nodes: the active members and the nodes with a published summary.</summary>
    public async Task<(int Members, int Summaries)> NodesAsync(string baseUrl, CancellationToken cancellationToken)
    {
        var json = JsonNode.Parse(await http.GetStringAsync($"{baseUrl}/v1/cluster/nodes", cancellationToken))!;
        return (json["members"]!.AsArray().Count, json["nodes"]!.AsArray().Count);
    }

    private static async Task<(string Reply, JsonNode? Usage)> ReadStreamAsync(HttpResponseMessage response, string id, int turn, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var reply = new StringBuilder();
        JsonNode? usage = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            var data = line["data: ".Length..];
            if (data == "[DONE]") return (reply.ToString(), usage);
            var chunk = JsonNode.Parse(data)!;
            if (chunk["error"] is { } error) throw new TurnFailedException($"{id} turn {turn}: error event: {error.ToJsonString()}");
            foreach (var choice in chunk["choices"]!.AsArray())
                if (choice!["delta"]?["content"]?.GetValue<string>() is { } text) reply.Append(text);
            if (chunk["usage"] is { } u) usage = u;
        }
        throw new TurnFailedException($"{id} turn {turn}: the stream ended without [DONE]");
    }

    private static string Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.Single() : throw new InvalidOperationException($"the response has no {name} header");
}
