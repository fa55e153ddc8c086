using AgentHost.Agents;
using AgentHost.Hosting;
using Microsoft.Agents.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// dotnet run --project samples/SdkQuickstart -- --model ../shared/models/stories260K.gguf --chat-template chatml --Agents:summarizer:ToolChoice=none
// (or any Llama:* / Agents:* setting: --Llama:ModelPath=PATH, AGENTHOST_Llama__ModelPath=PATH, appsettings.json)
var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddEnvironmentVariables("AGENTHOST_").AddCommandLine(args, new Dictionary<string, string> { ["--model"] = "Llama:ModelPath", ["--chat-template"] = "Llama:ChatTemplate" });
builder.Services.AddLlamaChatClient(builder.Configuration);    // the local GGUF as IChatClient
builder.Services.AddAgentHostKernel();                          // Semantic Kernel over it (the agents' tools)
builder.Services.AddAgentHostAgents(builder.Configuration);     // support, writer, translator, summarizer (+ Agents:* in appsettings.json)
using var host = builder.Build();

AIAgent agent = host.Services.GetRequiredKeyedService<AIAgent>("summarizer");
Console.WriteLine(await agent.RunAsync("Summarize: Lily found a shiny red ball in the park. She shared it with her friend Tom, and they played until dark."));
