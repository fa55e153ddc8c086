// Lists and calls AgentHost's MCP tools and prompts with the official MCP TypeScript SDK client, and prints one
// JSON object of what it saw; the .NET tests (McpServerTests) assert on it.
// Usage: node mcp-client.mjs http URL API_KEY        (Streamable HTTP, key as Bearer; also tries without it)
//        node mcp-client.mjs stdio COMMAND ARG...     (starts the server as a child process)
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [mode, ...rest] = process.argv.slice(2);
const out = {};

function transport(withKey = true) {
  if (mode === "http") {
    const [url, key] = rest;
    return new StreamableHTTPClientTransport(new URL(url), withKey ? { requestInit: { headers: { Authorization: `Bearer ${key}` } } } : {});
  }
  const [command, ...args] = rest;
  return new StdioClientTransport({ command, args, env: { ...process.env }, stderr: "inherit" });
}

const client = new Client({ name: "agenthost-test", version: "1.0.0" });
await client.connect(transport());
out.server = client.getServerVersion();

const { tools } = await client.listTools();
out.tools = tools.map(t => t.name);
out.lookupSchema = tools.find(t => t.name === "CustomerService_LookupOrder")?.inputSchema ?? null;

const call = async (name, args) => {
  try {
    const r = await client.callTool({ name, arguments: args });
    return { isError: r.isError ?? false, text: r.content?.map(c => c.text).join("") ?? "" };
  } catch (e) {
    return { protocolError: String(e.message ?? e) };
  }
};
out.valid = await call("CustomerService_LookupOrder", { order_id: "ORD-10042" });
out.badPattern = await call("CustomerService_LookupOrder", { order_id: "12" });
out.missing = await call("CustomerService_LookupOrder", {});
out.wrongType = await call("CustomerService_SearchKnowledgeBase", { query: "refund", top: "three" });
out.unknownTool = await call("No_Such_Tool", {});
// An agent as a tool (agent_<name>): a run over the local model; and arguments that fail its schema.
out.agent = await call("agent_echoer", { input: "Tell me a story." });
out.agentMissing = await call("agent_echoer", {});

const { prompts } = await client.listPrompts();
out.prompts = prompts.map(p => ({ name: p.name, args: (p.arguments ?? []).map(a => `${a.name}${a.required ? "*" : ""}`) }));
const prompt = await client.getPrompt({ name: "Writing_Rewrite", arguments: { text: "hey, the meeting moved to 3 & it's <urgent>", tone: "formal" } });
out.prompt = prompt.messages.map(m => ({ role: m.role, text: m.content.text }));
try {
  await client.getPrompt({ name: "Writing_Rewrite", arguments: { tone: "formal" } });
  out.promptMissing = "no error";
} catch (e) {
  out.promptMissing = String(e.message ?? e);
}
await client.close();

if (mode === "http") {
  try {
    const anonymous = new Client({ name: "agenthost-test", version: "1.0.0" });
    await anonymous.connect(transport(false));
    out.unauthorized = "connected";
  } catch (e) {
    out.unauthorized = { code: e.code ?? null, message: String(e.message ?? e) };
  }
}
console.log(JSON.stringify(out));
