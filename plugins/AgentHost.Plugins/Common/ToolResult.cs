using System.Text.Json.Serialization;

namespace AgentHost.Plugins;

/// <summary>Implemented by every tool result, so hosts (the CLI, HTTP) can tell a failed call without knowing its type.</summary>
public interface IToolResult
{
    bool Ok { get; }
    string? Error { get; }
}

/// <summary>
/// What a native tool returns: the value, or an error message written for the model to read and act on (bad input,
/// an unknown order, output that did not parse). Serialized as <c>{"ok":true,"value":...}</c> or <c>{"ok":false,"error":"..."}</c>.
/// </summary>
public sealed record ToolResult<T> : IToolResult
{
    private ToolResult(T? value, string? error)
    {
        Value = value;
        Error = error;
    }

    [JsonPropertyName("ok")]
    public bool Ok => Error is null;

    [JsonPropertyName("value")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public T? Value { get; }

    [JsonPropertyName("error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; }

    public static ToolResult<T> Success(T value) => new(value, null);

    public static ToolResult<T> Failure(string error) => new(default, error);

    /// <summary>The value, or an <see cref="InvalidOperationException"/> carrying the error.</summary>
    public T GetValueOrThrow() => Ok ? Value! : throw new InvalidOperationException(Error);

    public override string ToString() => Ok ? $"ok: {Value}" : $"error: {Error}";
}

/// <summary>Runs tool bodies so that bad input becomes an error result instead of an exception.</summary>
public static class ToolResult
{
    public static async Task<ToolResult<T>> RunAsync<T>(Func<Task<T>> body)
    {
        try
        {
            return ToolResult<T>.Success(await body().ConfigureAwait(false));
        }
        catch (PluginInputException ex)
        {
            return ToolResult<T>.Failure(ex.Message);
        }
    }

    public static async Task<ToolResult<T>> RunAsync<T>(Func<Task<ToolResult<T>>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (PluginInputException ex)
        {
            return ToolResult<T>.Failure(ex.Message);
        }
    }
}
