using AgentHost.Agents;
using AgentHost.Agents.Sessions;
using AgentHost.Agents.Tests.Support;
using AgentHost.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Usage: SessionWriter MODEL DATABASE AGENT SESSION CUSTOMER. Reads one user message per stdin line, runs it as a
// turn of the session and prints "ACK <n> <reply>" once the run returned (its messages are committed to SQLite by
// then). It is meant to be killed.
if (args.Length < 5)
{
    Console.Error.WriteLine("usage: SessionWriter MODEL DATABASE AGENT SESSION CUSTOMER");
    return 2;
}
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Configuration.AddInMemoryCollection(TestSettings.For(args[0], args[1]));
builder.Services.AddLogging();
builder.Services.AddLlamaChatClient(builder.Configuration);
builder.Services.AddAgentHostKernel();
builder.Services.AddAgentHostAgents(builder.Configuration);
using var host = builder.Build();
var sessions = host.Services.GetRequiredService<AgentSessionService>();
var agent = host.Services.GetAgent(args[2]);
var session = await sessions.OpenAsync(args[2], args[3], args[4]);
Console.Out.WriteLine("READY");
Console.Out.Flush();
var n = 0;
while (Console.In.ReadLine() is { } line)
{
    var response = await agent.RunAsync(line, session);
    await sessions.SaveAsync(args[2], session);
    Console.Out.WriteLine($"ACK {++n} {response.Text.ReplaceLineEndings("\\n")}");
    Console.Out.Flush();
}
return 0;
