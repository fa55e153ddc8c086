using System.Text.Json;
using System.Text.Json.Serialization;
using AgentHost.Hosting;
using AgentHost.Plugins;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace TranslationService;

/// <summary>Builds the service: the local model, SK with the Translation plugin, the endpoints, limits and OpenAPI.</summary>
public static class TranslationServiceApp
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Loopback only unless told otherwise (--urls / ASPNETCORE_URLS): the model is not meant for the network.
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrl);
        builder.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        builder.Services.AddOptions<TranslationServiceOptions>().Bind(builder.Configuration.GetSection(TranslationServiceOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddLlamaChatClient(builder.Configuration);
        builder.Services.AddAgentHostKernel();
        builder.Services.AddAgentHostPluginCore(builder.Configuration, o =>
        {
            // The plugin limits follow the service's, so both layers refuse the same input with the same message.
            var service = builder.Configuration.GetSection(TranslationServiceOptions.SectionName).Get<TranslationServiceOptions>() ?? new();
            o.MaxInputCharacters = service.MaxTextCharacters;
            o.Translation.MaxBatchItems = service.MaxBatchItems;
        });
        builder.Services.AddTranslationPlugin();

        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true); // so unreadable JSON reaches ErrorHandler with its reason
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ErrorHandler>();
        builder.Services.AddOpenApi();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
            kestrel.Limits.MaxRequestBodySize = context.Configuration.GetSection(TranslationServiceOptions.SectionName).Get<TranslationServiceOptions>()?.MaxRequestBodyBytes ?? 1 << 20);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.MapTranslationEndpoints();
        return app;
    }

    /// <summary>Validates the settings and loads the model now (otherwise the first request would).</summary>
    public static void LoadModel(WebApplication app)
    {
        _ = app.Services.GetRequiredService<IOptions<TranslationServiceOptions>>().Value;
        _ = app.Services.GetRequiredService<AgentHost.Llama.Engine.LlamaEngine>();
    }
}
