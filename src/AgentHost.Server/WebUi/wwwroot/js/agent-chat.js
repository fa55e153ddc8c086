// Agent chat: a streamed POST /v1/responses with model "agent:NAME". The agent runs its tools server-side, so the
// page only shows what the typed events say: text and reasoning deltas, function_call and function_call_output
// items, and mcp_approval_request items (answered by a new response whose input is mcp_approval_response items).
// The conversation's state lives on the server: each turn continues previous_response_id, which the page keeps with
// the conversation in localStorage, so a reload (or a browser restart) carries on where it stopped.

import { apiFetch, readServerSentEvents, ApiError } from './api.js';

/** The body of a turn: input is the user's text or the approval answers, chained on the conversation's last response. */
export function agentRequest(conversation, input, sampling) {
  const body = { model: `agent:${conversation.agent}`, input, stream: true, store: true };
  if (conversation.previousResponseId) body.previous_response_id = conversation.previousResponseId;
  if (conversation.settings.system?.trim()) body.instructions = conversation.settings.system;
  if (sampling.temperature !== undefined) body.temperature = sampling.temperature;
  if (sampling.top_p !== undefined) body.top_p = sampling.top_p;
  if (sampling.max_tokens !== undefined) body.max_output_tokens = sampling.max_tokens;
  return body;
}

/**
 * Streams one response into conversation.messages: assistant replies (text, reasoning, the calls the agent made),
 * tool results and approval requests, in the order the agent produced them. ui.append / ui.update / ui.remove keep
 * the page in step, event by event. Resolves to the finished response object.
 */
export async function streamAgentResponse(conversation, body, signal, ui) {
  const response = await apiFetch('/v1/responses', { method: 'POST', body: JSON.stringify(body), signal });
  const messages = conversation.messages;
  const items = new Map(); // output item id -> { message, call? }
  const callNames = new Map(); // call_id -> function name
  const approvals = [];

  // The reply that takes the next text / reasoning / call: the last message while it is this turn's streaming
  // reply, unless text would land after a call it already shows (then a new reply, so the order stays as it was).
  const reply = kind => {
    const last = messages.at(-1);
    if (last?.role === 'assistant' && last.streaming && !(kind !== 'call' && last.tool_calls.length)) return last;
    settleAll();
    const message = { role: 'assistant', content: '', reasoning: '', tool_calls: [], streaming: true };
    messages.push(message);
    ui.append(message);
    return message;
  };
  // Ends the streaming of this turn's replies. A reply left empty (the agent went straight to a tool result or an
  // approval) is dropped, unless it is all the turn has to show.
  const turnStart = messages.length;
  const settleAll = (final = false) => {
    for (const m of messages.slice(turnStart)) {
      if (!m.streaming) continue;
      m.streaming = false;
      if (isEmptyReply(m) && (!final || messages.length - turnStart > 1)) { messages.splice(messages.indexOf(m), 1); ui.remove(m); } else ui.update(m);
    }
  };
  const push = message => { settleAll(); messages.push(message); ui.append(message); };

  reply('text'); // shown at once as "writing…", before the first event
  let finished = null;
  for await (const { data } of readServerSentEvents(response)) {
    const event = JSON.parse(data);
    switch (event.type) {
      case 'response.output_item.added': {
        const item = event.item;
        if (item.type === 'message' || item.type === 'reasoning') items.set(item.id, { message: reply('text') });
        else if (item.type === 'function_call') {
          const message = reply('call');
          const call = { id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments ?? '' } };
          message.tool_calls.push(call);
          items.set(item.id, { message, call });
          callNames.set(item.call_id, item.name);
          ui.update(message);
        } else if (item.type === 'function_call_output') {
          push({ role: 'tool', tool_call_id: item.call_id, name: callNames.get(item.call_id) ?? 'tool', content: item.output ?? '' });
        } else if (item.type === 'mcp_approval_request') {
          const approval = { role: 'approval', request_id: item.id, name: item.name, arguments: item.arguments ?? '{}', server_label: item.server_label, state: 'pending' };
          approvals.push(approval);
          push(approval);
        }
        break;
      }
      case 'response.output_text.delta':
      case 'response.reasoning_text.delta': {
        const entry = items.get(event.item_id);
        if (!entry) break;
        if (event.type === 'response.output_text.delta') entry.message.content += event.delta;
        else entry.message.reasoning += event.delta;
        ui.update(entry.message);
        break;
      }
      case 'response.function_call_arguments.delta': {
        const entry = items.get(event.item_id);
        if (!entry?.call) break;
        entry.call.function.arguments += event.delta;
        ui.update(entry.message);
        break;
      }
      case 'response.output_item.done': {
        const entry = items.get(event.item.id);
        if (entry?.call) { entry.call.function.arguments = event.item.arguments; ui.update(entry.message); }
        break;
      }
      case 'response.completed':
      case 'response.incomplete':
        finished = event.response;
        break;
      case 'response.failed':
        throw new ApiError(500, event.response?.error?.message ?? 'The agent failed.', event.response?.error?.code);
      case 'error':
        throw new ApiError(500, event.message ?? event.error?.message ?? 'The server failed while streaming.', event.code ?? event.error?.code);
      default:
        break;
    }
  }
  if (!finished) throw new ApiError(502, 'The response stream ended before the response was complete.');

  // Chained on from now on; the approvals are answered against this response.
  conversation.previousResponseId = finished.id;
  for (const approval of approvals) approval.response_id = finished.id;
  const last = [...messages].reverse().find(m => m.role === 'assistant' && m.streaming);
  if (last) {
    if (finished.status === 'incomplete') last.finish_reason = 'length';
    last.usage = finished.usage;
    if (isEmptyReply(last) && messages.length - turnStart === 1) last.note = 'The agent returned no output.';
  }
  settleAll(true);
  return finished;
}

function isEmptyReply(message) {
  return message.role === 'assistant' && !message.content && !message.reasoning && !message.tool_calls?.length && !message.error && !message.note && !message.stopped;
}
