// Drives the server with the official openai npm package; prints one JSON object with what the client saw.
// Usage: node openai-client.mjs BASE_URL API_KEY MODEL
import OpenAI from "openai";

const [baseURL, apiKey, model] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 120_000 });
const prompt = "Once upon a time";

const completion = await client.completions.create({ model, prompt, max_tokens: 48, temperature: 0 });

let streamedText = "";
let streamedFinish = null;
let streamedUsage = null;
const stream = await client.completions.create({ model, prompt, max_tokens: 48, temperature: 0, stream: true, stream_options: { include_usage: true } });
for await (const chunk of stream) {
  for (const choice of chunk.choices) {
    streamedText += choice.text;
    if (choice.finish_reason) streamedFinish = choice.finish_reason;
  }
  if (chunk.usage) streamedUsage = chunk.usage;
}

const withLogprobs = await client.completions.create({ model, prompt, max_tokens: 12, temperature: 0, logprobs: 3 });

const chat = await client.chat.completions.create({
  model: "gpt-3.5-turbo", // a hard-coded name: served by the one model
  messages: [{ role: "user", content: "Tell me about a dog." }],
  max_tokens: 8, temperature: 0, logprobs: true, top_logprobs: 3,
});

const chatStreamLogprobs = [];
let chatStreamText = "";
const chatStream = await client.chat.completions.create({
  model, messages: [{ role: "user", content: "Tell me about a dog." }],
  max_tokens: 8, temperature: 0, logprobs: true, top_logprobs: 3, stream: true,
});
for await (const chunk of chatStream) {
  for (const choice of chunk.choices) {
    chatStreamText += choice.delta?.content ?? "";
    if (choice.logprobs?.content) chatStreamLogprobs.push(...choice.logprobs.content);
  }
}

let badLogprobs = null;
try {
  await client.completions.create({ model, prompt, max_tokens: 4, logprobs: 21 });
} catch (e) {
  badLogprobs = { status: e.status, param: e.param ?? e.error?.param ?? null, code: e.code ?? null };
}

console.log(JSON.stringify({
  completion: { text: completion.choices[0].text, finish: completion.choices[0].finish_reason, model: completion.model, object: completion.object, usage: completion.usage, fingerprint: completion.system_fingerprint },
  streamed: { text: streamedText, finish: streamedFinish, usage: streamedUsage },
  logprobs: { text: withLogprobs.choices[0].text, logprobs: withLogprobs.choices[0].logprobs },
  chat: { model: chat.model, text: chat.choices[0].message.content, logprobs: chat.choices[0].logprobs?.content ?? null, fingerprint: chat.system_fingerprint },
  chatStream: { text: chatStreamText, logprobs: chatStreamLogprobs },
  badLogprobs,
}));
