using AgentHost.Grammar;
using AgentHost.Jinja;
using AgentHost.Llama.Chat;
using AgentHost.Llama.Engine;
using AgentHost.Native;
using Microsoft.AspNetCore.Http;

namespace AgentHost.Server.Errors;

/// <summary>
/// What an exception from the model pipeline means to an HTTP client: bad input is a 4xx naming the parameter, a
/// full queue is 503 with Retry-After, anything else is a 500 (and is logged by the caller).
/// </summary>
internal static class ExceptionMapping
{
    public static OpenAiRequestException ToOpenAiError(Exception exception, int busyRetryAfterSeconds) => exception switch
    {
        OpenAiRequestException e => e,
        ContextOverflowException e => OpenAiRequestException.BadRequest(
            $"This model's maximum context length is {e.ContextSize} tokens. However, your messages resulted in {e.PromptTokens} tokens. Please reduce the length of the messages.",
            "messages", "context_length_exceeded"),
        EngineBusyException e => new OpenAiRequestException(StatusCodes.Status503ServiceUnavailable, e.Message, OpenAiRequestException.ServerError, null, "server_busy")
        {
            RetryAfterSeconds = busyRetryAfterSeconds,
        },
        InvalidGenerationRequestException e => OpenAiRequestException.BadRequest(e.Message, ParamName(e.Parameter), "invalid_value"),
        // A schema the grammar compiler rejects, or a conversation the chat template refuses, is the request's fault.
        JsonSchemaException e => OpenAiRequestException.BadRequest(e.Message, null, "invalid_schema"),
        GrammarException e => OpenAiRequestException.BadRequest(e.Message, null, "invalid_schema"),
        ChatTemplateException e => OpenAiRequestException.BadRequest(e.Message, "messages", "invalid_value"),
        // The template was parsed at start; failing to render now (raise_exception on roles that do not alternate,
        // a message shape it cannot handle) comes from the messages.
        TemplateException e => OpenAiRequestException.BadRequest(e.Message, "messages", "invalid_value"),
        ChatConversationException e => OpenAiRequestException.BadRequest(e.Message, "messages", "invalid_value"),
        _ => new OpenAiRequestException(StatusCodes.Status500InternalServerError,
            "The server had an error while processing your request.", OpenAiRequestException.ServerError),
    };

    /// <summary>The engine names parameters after MEAI's options; the client knows them by their OpenAI names.</summary>
    private static string ParamName(string parameter) => parameter switch
    {
        "MaxTokens" => "max_tokens",
        "Prompt" or "messages" => "messages",
        "ModelId" => "model",
        _ => parameter,
    };
}
