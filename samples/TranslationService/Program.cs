using AgentHost.Native;
using Microsoft.Extensions.Options;
using TranslationService;

// dotnet run --project samples/TranslationService -- --Llama:ModelPath=$PWD/../shared/models/stories260K.gguf --Llama:ChatTemplate=chatml
var app = TranslationServiceApp.Build(args);
try
{
    // A missing model or a bad setting stops the service at start with one line, not at the first request.
    TranslationServiceApp.LoadModel(app);
}
catch (Exception ex) when (ex is FileNotFoundException or OptionsValidationException or ArgumentException or LlamaException)
{
    Console.Error.WriteLine($"translation-service: {(ex is OptionsValidationException o ? string.Join("; ", o.Failures) : ex.Message)}");
    return 2;
}
await app.RunAsync();
return 0;
