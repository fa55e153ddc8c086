using AgentHost.Hosting;
using AgentHost.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.SemanticKernel;

// dotnet run --project samples/SdkQuickstart -- --Llama:ModelPath=../shared/models/stories260K.gguf --Llama:ChatTemplate=chatml
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddLlamaChatClient(builder.Configuration);   // the local GGUF (Llama:ModelPath) as IChatClient
builder.Services.AddAgentHostKernel();                         // Semantic Kernel over it
builder.Services.AddAgentHostPlugins(builder.Configuration);   // Writing, Translation, Summarization, CustomerService
using var host = builder.Build();

var kernel = host.Services.GetRequiredService<Kernel>();
var headline = await kernel.InvokeAsync("Writing", "Headline", new() { ["text"] = "The city council approved a new bike lane on Main Street." });
Console.WriteLine(headline);
