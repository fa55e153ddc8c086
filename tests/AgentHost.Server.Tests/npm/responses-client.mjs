// Drives /v1/responses with the official openai npm package; prints one JSON object with what the client saw.
// Usage: node responses-client.mjs BASE_URL API_KEY MODEL
import OpenAI from "openai";

const [baseURL, apiKey, model] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 120_000 });
const small = { max_output_tokens: 8, temperature: 0 };

const plain = await client.responses.create({ model, input: "Tell me a story.", ...small });

const events = [];
let streamedFinal = null;
const stream = await client.responses.create({ model, input: "Tell me a story.", ...small, stream: true });
for await (const event of stream) {
  events.push({ type: event.type, sequence_number: event.sequence_number, delta: event.delta ?? null, text: event.text ?? null, item_type: event.item?.type ?? null });
  if (event.type === "response.completed" || event.type === "response.incomplete") streamedFinal = event.response;
}

// Three chained turns: each continues the session of the one before.
const t1 = await client.responses.create({ model, input: "My name is Tom and I live in Oslo.", ...small });
const t2 = await client.responses.create({ model, input: "I like cats.", previous_response_id: t1.id, ...small });
const t3 = await client.responses.create({ model, input: "What is my name?", previous_response_id: t2.id, ...small });

// A client-side function tool: the model's call comes back, the client answers it next turn.
const tools = [{
  type: "function", name: "get_weather", description: "Gets the weather for a city.", strict: true,
  parameters: { type: "object", properties: { city: { type: "string", enum: ["Paris", "Oslo"] } }, required: ["city"], additionalProperties: false },
}];
const f1 = await client.responses.create({ model, input: "What is the weather in Paris?", tools, tool_choice: "required", max_output_tokens: 60, temperature: 0 });
const call = f1.output.find((item) => item.type === "function_call");
const f2 = await client.responses.create({
  model, previous_response_id: f1.id, tools, ...small,
  input: [{ type: "function_call_output", call_id: call.call_id, output: JSON.stringify({ city: "Paris", sky: "sunny" }) }],
});
let badCall = null;
try {
  await client.responses.create({ model, previous_response_id: f1.id, input: [{ type: "function_call_output", call_id: "call_nobody_made", output: "x" }], ...small });
} catch (e) {
  badCall = { status: e.status, param: e.param ?? e.error?.param ?? null, code: e.code ?? null, message: e.message };
}

// Structured output: text.format json_schema is grammar-constrained.
const structured = await client.responses.create({
  model, input: "Is this about an order?", max_output_tokens: 40, temperature: 0,
  text: { format: { type: "json_schema", name: "label", strict: true, schema: { type: "object", properties: { label: { type: "string", enum: ["order", "other"] } }, required: ["label"], additionalProperties: false } } },
});

const usage = (r) => ({ input: r.usage.input_tokens, cached: r.usage.input_tokens_details?.cached_tokens ?? 0, output: r.usage.output_tokens });
console.log(JSON.stringify({
  plain: { id: plain.id, object: plain.object, status: plain.status, model: plain.model, output_text: plain.output_text, output_types: plain.output.map((o) => o.type), usage: usage(plain) },
  stream: { events, final_text: streamedFinal?.output?.[0]?.content?.[0]?.text ?? null, final_status: streamedFinal?.status ?? null },
  chain: [t1, t2, t3].map((r) => ({ id: r.id, previous: r.previous_response_id, usage: usage(r), text: r.output_text })),
  functions: {
    first: { status: f1.status, output_types: f1.output.map((o) => o.type), call: call ? { name: call.name, call_id: call.call_id, arguments: call.arguments } : null },
    second: { status: f2.status, previous: f2.previous_response_id, output_types: f2.output.map((o) => o.type), text: f2.output_text, usage: usage(f2) },
    badCall,
  },
  structured: { status: structured.status, text: structured.output_text, format: structured.text?.format?.type ?? null },
}));
