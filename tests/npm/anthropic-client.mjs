// Drives AgentHost's /v1/messages with the official Anthropic TypeScript SDK and prints one JSON object of what
// it saw; the .NET test (AnthropicNpmClientTests) asserts on it. Usage: node anthropic-client.mjs BASE_URL API_KEY MODEL
import Anthropic from "@anthropic-ai/sdk";

const [baseURL, apiKey, model] = process.argv.slice(2);
const client = new Anthropic({ baseURL, apiKey, maxRetries: 0, timeout: 120_000 });
const out = {};

const ask = { model, max_tokens: 24, system: "You are terse.", messages: [{ role: "user", content: "Tell me about rivers." }] };

// Non-streaming
const message = await client.messages.create(ask);
out.message = { id: message.id, type: message.type, role: message.role, model: message.model, stop_reason: message.stop_reason,
  text: message.content.filter(b => b.type === "text").map(b => b.text).join(""), usage: message.usage };

// count_tokens for the same request
const { max_tokens, ...countable } = ask;
out.count = (await client.messages.countTokens(countable)).input_tokens;

// Streaming, through the SDK's own stream accumulator
const stream = client.messages.stream(ask);
const events = [];
let streamedText = "";
stream.on("streamEvent", e => events.push(e.type));
stream.on("text", t => { streamedText += t; });
const final = await stream.finalMessage();
out.stream = { events, text: streamedText, finalText: final.content.filter(b => b.type === "text").map(b => b.text).join(""),
  stop_reason: final.stop_reason, usage: final.usage };

// tool_use -> tool_result round trip
const tools = [{ name: "get_weather", description: "Current weather of a city",
  input_schema: { type: "object", properties: { city: { type: "string", enum: ["Paris", "Tokyo", "Lima"] } }, required: ["city"] } }];
const history = [{ role: "user", content: "Weather in Paris?" }];
const first = await client.messages.create({ model, max_tokens: 100, tools, tool_choice: { type: "any" }, messages: history });
const toolUse = first.content.find(b => b.type === "tool_use");
history.push({ role: "assistant", content: first.content });
history.push({ role: "user", content: [{ type: "tool_result", tool_use_id: toolUse.id, content: "21 degrees" }] });
const second = await client.messages.create({ model, max_tokens: 16, tools, tool_choice: { type: "none" }, messages: history });
const secondCount = await client.messages.countTokens({ model, tools, tool_choice: { type: "none" }, messages: history });
out.tools = { stop_reason: first.stop_reason, name: toolUse.name, id: toolUse.id, input: toolUse.input,
  second_stop_reason: second.stop_reason, second_types: second.content.map(b => b.type), second_input_tokens: second.usage.input_tokens,
  second_count: secondCount.input_tokens };

// No key
try {
  await new Anthropic({ baseURL, apiKey: "sk-wrong", maxRetries: 0 }).messages.create(ask);
  out.unauthorized = { status: 0 };
} catch (e) {
  out.unauthorized = { status: e.status, name: e.constructor.name, type: e.error?.error?.type };
}

console.log(JSON.stringify(out));
