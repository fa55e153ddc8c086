// The chat view. With the model: streamed /v1/chat/completions (content and reasoning_content deltas, tool_calls), a
// client-side tool loop over the kernel functions the user enabled (run through POST /v1/plugins/{plugin}/{function},
// results sent back as tool messages). With an agent: streamed /v1/responses (agent-chat.js), its server-side tool
// calls and results shown, approval requests answered with Approve / Reject. Per-conversation sampling settings, and
// Stop (aborting the fetch; the server then cancels the generation and frees the slot).

import { agentRequest, streamAgentResponse } from './agent-chat.js';
import { apiFetch, apiJson, readServerSentEvents, ApiError } from './api.js';
import { loadPlugins, toolDefinition } from './catalog.js';
import { el, prettyJson } from './dom.js';
import { renderMarkdown } from './markdown.js';
import * as store from './store.js';

const MAX_TOOL_ROUNDS = 4;

const state = {
  conversation: null,
  model: 'agenthost',
  agents: [],
  controller: null,
  onChange: () => {},
};

const $ = id => document.getElementById(id);

export function initChat({ onConversationsChanged }) {
  state.onChange = onConversationsChanged;
  $('composer').addEventListener('submit', event => { event.preventDefault(); send(); });
  $('prompt').addEventListener('keydown', event => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) { event.preventDefault(); $('composer').requestSubmit(); }
  });
  $('stop').addEventListener('click', stop);
  $('settings-form').addEventListener('input', readSettings);
  $('settings-form').addEventListener('submit', event => event.preventDefault());
  $('chat-target').addEventListener('change', event => selectTarget(event.target.value));
  const id = store.currentConversationId();
  openConversation((id && store.loadConversation(id)) || store.createConversation());
}

export function setModel(id) {
  state.model = id;
}

/** Fills "Talk to": the model, then each agent of GET /v1/agents. */
export function setTargets(modelId, agents) {
  state.model = modelId;
  state.agents = agents;
  $('chat-target').replaceChildren(new Option(`Model: ${modelId}`, 'model'),
    ...agents.map(a => Object.assign(new Option(`Agent: ${a.name}`, `agent:${a.name}`), { title: a.description ?? '' })));
  showTarget();
}

function targetOf(conversation) {
  return conversation.kind === 'agent' ? `agent:${conversation.agent}` : 'model';
}

/** The select shows the open conversation's target (an agent no longer declared still shows, by name). */
function showTarget() {
  const select = $('chat-target');
  const value = targetOf(state.conversation);
  if (![...select.options].some(o => o.value === value)) select.append(new Option(`Agent: ${state.conversation.agent} (not on this server)`, value));
  select.value = value;
  const agent = state.agents.find(a => a.name === state.conversation.agent);
  $('chat-target-about').textContent = state.conversation.kind === 'agent' ? agent?.description ?? '' : '';
  $('settings-form').dataset.kind = state.conversation.kind;
}

/** A conversation talks to one target: choosing another starts a new conversation (unless this one is still empty). */
function selectTarget(value) {
  const [kind, agent] = value.startsWith('agent:') ? ['agent', value.slice('agent:'.length)] : ['model', null];
  if (state.conversation.messages.length) {
    if (isBusy()) stop();
    openConversation(store.createConversation({ kind, agent }));
  } else {
    state.conversation.kind = kind;
    state.conversation.agent = agent;
    state.conversation.previousResponseId = null;
    showTarget();
    renderAll();
  }
}

export function currentConversation() {
  return state.conversation;
}

export function isBusy() {
  return state.controller !== null;
}

/** A new conversation with the same target as the open one. */
export function newConversation() {
  if (isBusy()) stop();
  openConversation(store.createConversation({ kind: state.conversation?.kind, agent: state.conversation?.agent }));
  $('prompt').focus();
}

export function openConversationById(id) {
  const conversation = store.loadConversation(id);
  if (!conversation) return;
  if (isBusy()) stop();
  openConversation(conversation);
}

function openConversation(conversation) {
  state.conversation = conversation;
  if (conversation.messages.length) store.setCurrentConversationId(conversation.id);
  writeSettings(conversation.settings);
  showTarget();
  renderAll();
  renderToolList();
  state.onChange();
}

// ---- settings ----

function writeSettings(settings) {
  $('set-system').value = settings.system ?? '';
  $('set-temperature').value = settings.temperature ?? '';
  $('set-top-p').value = settings.top_p ?? '';
  $('set-top-k').value = settings.top_k ?? '';
  $('set-max-tokens').value = settings.max_tokens ?? '';
  $('set-seed').value = settings.seed ?? '';
  $('set-tool-required').checked = !!settings.toolRequired;
}

function readSettings() {
  const s = state.conversation.settings;
  s.system = $('set-system').value;
  s.temperature = $('set-temperature').value;
  s.top_p = $('set-top-p').value;
  s.top_k = $('set-top-k').value;
  s.max_tokens = $('set-max-tokens').value;
  s.seed = $('set-seed').value;
  s.toolRequired = $('set-tool-required').checked;
  s.tools = [...$('tool-list').querySelectorAll('input[type=checkbox]:checked')].map(box => box.value);
  if (state.conversation.messages.length) store.saveConversation(state.conversation);
}

async function renderToolList() {
  const list = $('tool-list');
  try {
    const functions = await loadPlugins();
    const enabled = new Set(state.conversation.settings.tools);
    list.replaceChildren(...functions.map(f => el('label', { class: 'inline', title: f.description ?? '' },
      el('input', { type: 'checkbox', value: f.tool, checked: enabled.has(f.tool), name: 'tool' }), ` ${f.plugin}.${f.function}`)));
    if (!functions.length) list.replaceChildren(el('p', { class: 'muted', text: 'The server has no kernel functions.' }));
  } catch (error) {
    list.replaceChildren(el('p', { class: 'muted', text: `Tools unavailable: ${error.message}` }));
  }
}

function samplingParameters(settings) {
  const body = {};
  const number = (name, parse) => {
    const text = String(settings[name] ?? '').trim();
    if (text !== '' && !Number.isNaN(parse(text))) body[name] = parse(text);
  };
  number('temperature', Number.parseFloat);
  number('top_p', Number.parseFloat);
  number('top_k', t => Number.parseInt(t, 10));
  number('max_tokens', t => Number.parseInt(t, 10));
  number('seed', t => Number.parseInt(t, 10));
  return body;
}

// ---- sending and the tool loop ----

function apiMessages(conversation) {
  const messages = [];
  if (conversation.settings.system?.trim()) messages.push({ role: 'system', content: conversation.settings.system });
  for (const m of conversation.messages) {
    if (m.role === 'user') messages.push({ role: 'user', content: m.content });
    else if (m.role === 'assistant') {
      const calls = (m.tool_calls ?? []).filter(c => c.id && c.function?.name && m.finish_reason === 'tool_calls');
      if (!m.content && !calls.length) continue; // a reply stopped before its first token
      const message = { role: 'assistant', content: m.content ?? '' };
      if (calls.length) message.tool_calls = calls.map(c => ({ id: c.id, type: 'function', function: { name: c.function.name, arguments: c.function.arguments || '{}' } }));
      messages.push(message);
    } else if (m.role === 'tool') messages.push({ role: 'tool', tool_call_id: m.tool_call_id, content: m.content });
  }
  return messages;
}

async function send() {
  const prompt = $('prompt');
  const text = prompt.value.trim();
  if (!text || isBusy()) return;
  const conversation = state.conversation;
  conversation.messages.push({ role: 'user', content: text });
  if (conversation.title === 'New chat') conversation.title = text.length > 48 ? `${text.slice(0, 47)}…` : text;
  store.saveConversation(conversation);
  store.setCurrentConversationId(conversation.id);
  prompt.value = '';
  renderAll();
  state.onChange();
  if (conversation.kind === 'agent') {
    // A new message moves the conversation on: approvals still waiting can no longer be answered (the agent takes
    // them as rejected).
    for (const m of conversation.messages) if (m.role === 'approval' && m.state === 'pending') { m.state = 'unanswered'; updateMessage(findView(m), m); }
    await runAgentTurn(conversation, text);
  } else await runTurn(conversation);
}

export function stop() {
  state.controller?.abort();
}

function setBusy(busy) {
  $('send').disabled = busy;
  $('stop').disabled = !busy;
  $('messages').setAttribute('aria-busy', busy ? 'true' : 'false');
}

async function runTurn(conversation) {
  const controller = new AbortController();
  state.controller = controller;
  setBusy(true);
  let reply = null;
  try {
    const functions = await loadPlugins().catch(() => []);
    const enabled = functions.filter(f => conversation.settings.tools.includes(f.tool));
    for (let round = 0; round < MAX_TOOL_ROUNDS; round++) {
      const body = { model: state.model, messages: apiMessages(conversation), stream: true, stream_options: { include_usage: true }, ...samplingParameters(conversation.settings) };
      if (enabled.length) {
        body.tools = enabled.map(toolDefinition);
        // "required" makes the first answer of a turn a call; later rounds may answer in text, the last must.
        body.tool_choice = round === MAX_TOOL_ROUNDS - 1 ? 'none' : round === 0 && conversation.settings.toolRequired ? 'required' : 'auto';
        body.parallel_tool_calls = false;
      }
      reply = { role: 'assistant', content: '', reasoning: '', tool_calls: [], streaming: true };
      conversation.messages.push(reply);
      const view = appendMessage(reply);
      await streamReply(body, reply, view, controller.signal);
      reply.streaming = false;
      updateMessage(view, reply);
      store.saveConversation(conversation);
      if (reply.finish_reason !== 'tool_calls' || !reply.tool_calls.length) break;
      for (const call of reply.tool_calls) {
        const result = await runTool(call, functions, controller.signal);
        conversation.messages.push(result);
        appendMessage(result);
        store.saveConversation(conversation);
      }
    }
  } catch (error) {
    if (reply) {
      reply.streaming = false;
      if (error.name === 'AbortError') reply.stopped = true;
      else reply.error = error.message;
      updateMessage(findView(reply), reply);
    } else if (error.name !== 'AbortError') {
      appendError(error.message);
    }
    store.saveConversation(conversation);
  } finally {
    state.controller = null;
    setBusy(false);
    state.onChange();
  }
}

/** One agent turn: the user's text, or the answers to an approval request. */
async function runAgentTurn(conversation, input) {
  const controller = new AbortController();
  state.controller = controller;
  setBusy(true);
  const container = $('messages');
  const follow = () => { if (container.scrollHeight - container.scrollTop - container.clientHeight < 120) container.scrollTop = container.scrollHeight; };
  const ui = {
    append: message => { appendMessage(message); follow(); },
    update: message => { updateMessage(findView(message), message); follow(); },
    remove: message => findView(message)?.remove(),
  };
  try {
    await streamAgentResponse(conversation, agentRequest(conversation, input, samplingParameters(conversation.settings)), controller.signal, ui);
  } catch (error) {
    const streaming = conversation.messages.filter(m => m.streaming);
    const reply = streaming.at(-1);
    for (const m of streaming) { m.streaming = false; updateMessage(findView(m), m); }
    if (reply) {
      if (error.name === 'AbortError') reply.stopped = true;
      else reply.error = error.message;
      updateMessage(findView(reply), reply);
    } else if (error.name !== 'AbortError') {
      appendError(error.message);
    }
  } finally {
    store.saveConversation(conversation);
    state.controller = null;
    setBusy(false);
    state.onChange();
  }
}

/**
 * Approve or Reject on an approval request. The answers of one response go back together (a response may ask for
 * several): once each has one, they are sent as mcp_approval_response items and the agent carries on.
 */
async function answerApproval(approval, approve) {
  const conversation = state.conversation;
  if (approval.state !== 'pending' || isBusy()) return; // one turn at a time: the buttons wait for the stream to end
  approval.state = approve ? 'approved' : 'rejected';
  updateMessage(findView(approval), approval);
  store.saveConversation(conversation);
  const batch = conversation.messages.filter(m => m.role === 'approval' && m.response_id === approval.response_id);
  if (batch.some(m => m.state === 'pending')) return;
  const answers = batch.map(m => ({ type: 'mcp_approval_response', approval_request_id: m.request_id, approve: m.state === 'approved' }));
  await runAgentTurn(conversation, answers);
}

async function streamReply(body, reply, view, signal) {
  const response = await apiFetch('/v1/chat/completions', { method: 'POST', body: JSON.stringify(body), signal });
  // Rendered on every event, so each token shows as it comes (Markdown of a reply renders in well under a millisecond).
  const container = $('messages');
  const show = () => {
    const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 40;
    updateMessage(view, reply);
    if (atBottom) container.scrollTop = container.scrollHeight;
  };
  for await (const { data } of readServerSentEvents(response)) {
    if (data === '[DONE]') break;
    const chunk = JSON.parse(data);
    if (chunk.error) throw new ApiError(500, chunk.error.message ?? 'The server failed while streaming.', chunk.error.code);
    if (chunk.usage) reply.usage = chunk.usage;
    if (chunk.timings) reply.timings = chunk.timings;
    const choice = chunk.choices?.[0];
    if (!choice) continue;
    const delta = choice.delta ?? {};
    if (delta.content) reply.content += delta.content;
    if (delta.reasoning_content) reply.reasoning += delta.reasoning_content;
    for (const part of delta.tool_calls ?? []) {
      const call = (reply.tool_calls[part.index ?? 0] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
      if (part.id) call.id = part.id;
      if (part.function?.name) call.function.name += part.function.name;
      if (part.function?.arguments) call.function.arguments += part.function.arguments;
    }
    if (choice.finish_reason) reply.finish_reason = choice.finish_reason;
    show();
  }
}

async function runTool(call, functions, signal) {
  const entry = functions.find(f => f.tool === call.function.name);
  const message = { role: 'tool', tool_call_id: call.id, name: call.function.name, content: '' };
  if (!entry) {
    message.error = true;
    message.content = JSON.stringify({ error: `No enabled kernel function named ${call.function.name}.` });
    return message;
  }
  let args;
  try {
    args = JSON.parse(call.function.arguments || '{}');
  } catch (error) {
    message.error = true;
    message.content = JSON.stringify({ error: `The call's arguments are not valid JSON: ${error.message}` });
    return message;
  }
  try {
    const body = await apiJson(`/v1/plugins/${encodeURIComponent(entry.plugin)}/${encodeURIComponent(entry.function)}`,
      { method: 'POST', body: JSON.stringify(args), signal });
    message.content = typeof body.result === 'string' ? body.result : JSON.stringify(body.result);
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    message.error = true;
    message.content = JSON.stringify({ error: error.message });
  }
  return message;
}

// ---- rendering ----

const views = new WeakMap();

function findView(message) {
  return views.get(message);
}

function renderAll() {
  const container = $('messages');
  container.replaceChildren();
  if (!state.conversation.messages.length)
    container.append(el('p', { class: 'empty muted', text: state.conversation.kind === 'agent'
      ? `Send a message to ${state.conversation.agent}. It runs its own tools on the server; calls that need your approval wait for it here.`
      : 'Send a message to start. Settings (sampling, tools) are per conversation.' }));
  for (const message of state.conversation.messages) appendMessage(message, false);
  container.scrollTop = container.scrollHeight;
}

function appendMessage(message, scroll = true) {
  const container = $('messages');
  container.querySelector('.empty')?.remove();
  const view = buildMessage(message);
  views.set(message, view);
  updateMessage(view, message);
  container.append(view);
  if (scroll) container.scrollTop = container.scrollHeight;
  return view;
}

function appendError(text) {
  $('messages').append(el('p', { class: 'error', role: 'alert', text }));
}

function roleLabel(message) {
  if (message.role === 'user') return 'You';
  if (message.role === 'tool') return `Tool result · ${message.name ?? ''}`;
  if (message.role === 'approval') return `Approval needed · ${message.name ?? ''}`;
  return state.conversation?.kind === 'agent' ? `Agent · ${state.conversation.agent}` : 'Assistant';
}

function buildMessage(message) {
  const article = el('article', { class: `message ${message.role}`, 'aria-label': roleLabel(message) },
    el('header', { class: 'message-role', text: roleLabel(message) }));
  if (message.role === 'assistant') {
    article.append(
      el('details', { class: 'reasoning', hidden: true }, el('summary', { text: 'Reasoning' }), el('div', { class: 'reasoning-text' })),
      el('div', { class: 'content markdown' }),
      el('div', { class: 'tool-calls' }),
      el('p', { class: 'message-note muted' }));
  } else if (message.role === 'tool') {
    article.append(el('pre', { class: 'tool-output' }));
  } else if (message.role === 'approval') {
    article.setAttribute('role', 'group');
    article.dataset.requestId = message.request_id;
    article.append(
      el('p', {}, 'The agent wants to call ', el('code', { class: 'tool-name', text: message.name }), '. Run it?'),
      el('pre', { class: 'tool-arguments' }),
      el('div', { class: 'approval-buttons' },
        el('button', { type: 'button', class: 'primary approve', onclick: () => answerApproval(message, true) }, 'Approve'),
        el('button', { type: 'button', class: 'reject', onclick: () => answerApproval(message, false) }, 'Reject')),
      el('p', { class: 'approval-state', role: 'status' }));
  } else {
    article.append(el('div', { class: 'content user-text' }));
  }
  return article;
}

function updateMessage(view, message) {
  if (!view) return;
  if (message.role === 'user') {
    view.querySelector('.content').textContent = message.content;
    return;
  }
  if (message.role === 'tool') {
    view.classList.toggle('error', !!message.error);
    view.querySelector('.tool-output').textContent = prettyJson(message.content);
    return;
  }
  if (message.role === 'approval') {
    view.dataset.state = message.state;
    view.querySelector('.tool-arguments').textContent = prettyJson(message.arguments);
    view.querySelector('.approval-buttons').hidden = message.state !== 'pending';
    view.querySelector('.approval-state').textContent = { approved: 'Approved: the agent runs it.', rejected: 'Rejected: the agent is told it may not.', unanswered: 'Not answered: the conversation went on, and the agent takes that as rejected.' }[message.state] ?? '';
    return;
  }
  view.toggleAttribute('data-streaming', !!message.streaming);
  const reasoning = view.querySelector('.reasoning');
  reasoning.hidden = !message.reasoning;
  reasoning.querySelector('.reasoning-text').textContent = message.reasoning ?? '';
  renderMarkdown(view.querySelector('.content'), message.content ?? '');
  const calls = view.querySelector('.tool-calls');
  const list = message.tool_calls ?? [];
  while (calls.children.length < list.length) {
    calls.append(el('div', { class: 'tool-call', role: 'group', 'aria-label': 'Tool call' },
      el('div', { class: 'tool-call-head' }, 'Tool call ', el('code', { class: 'tool-name' })),
      el('pre', { class: 'tool-arguments' })));
  }
  list.forEach((call, i) => {
    const block = calls.children[i];
    block.querySelector('.tool-name').textContent = call.function.name || '…';
    block.querySelector('.tool-arguments').textContent = prettyJson(call.function.arguments || '');
  });
  const note = view.querySelector('.message-note');
  const notes = [];
  if (message.note) notes.push(message.note);
  if (message.stopped) notes.push('Stopped.');
  if (message.finish_reason === 'length') notes.push('Cut off at the token limit.');
  if (message.timings?.predicted_per_second) notes.push(`${message.timings.predicted_n} tokens, ${message.timings.predicted_per_second.toFixed(1)} tokens/s`);
  else if (message.usage?.output_tokens && !message.streaming) notes.push(`${message.usage.output_tokens} tokens`);
  note.textContent = notes.join(' ');
  let error = view.querySelector('.message-error');
  if (message.error && !error) view.append(error = el('p', { class: 'message-error error', role: 'alert' }));
  if (error) error.textContent = message.error ?? '';
}
