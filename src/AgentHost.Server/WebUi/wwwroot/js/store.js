// Conversations live in localStorage, so they survive a reload and a browser restart: an index of
// {id, title, kind, agent, updatedAt} and one entry per conversation with its messages and sampling settings. A model
// conversation keeps its whole history here (it is sent with every request); an agent conversation keeps what the
// page shows and the id of its last response, which holds its state on the server.

const INDEX = 'agenthost.conversations';
const CURRENT = 'agenthost.currentConversation';
const PREFIX = 'agenthost.conversation.';

function newId() {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function readJson(key, fallback) {
  try {
    const text = localStorage.getItem(key);
    return text ? JSON.parse(text) : fallback;
  } catch {
    return fallback; // a damaged entry: start over rather than break the page
  }
}

export function defaultSettings() {
  return { system: '', temperature: '', top_p: '', top_k: '', max_tokens: '', seed: '', tools: [], toolRequired: false };
}

/** A new conversation with the model (kind 'model') or an agent (kind 'agent', agent its name). */
export function createConversation({ kind = 'model', agent = null } = {}) {
  const now = Date.now();
  return { id: newId(), kind, agent, previousResponseId: null, title: 'New chat', createdAt: now, updatedAt: now, settings: defaultSettings(), messages: [] };
}

export function listConversations() {
  return readJson(INDEX, []).sort((a, b) => b.updatedAt - a.updatedAt);
}

export function loadConversation(id) {
  const conversation = readJson(PREFIX + id, null);
  if (conversation) conversation.settings = { ...defaultSettings(), ...conversation.settings };
  return conversation;
}

export function saveConversation(conversation) {
  conversation.updatedAt = Date.now();
  localStorage.setItem(PREFIX + conversation.id, JSON.stringify(conversation));
  const index = readJson(INDEX, []).filter(c => c.id !== conversation.id);
  index.push({ id: conversation.id, title: conversation.title, kind: conversation.kind, agent: conversation.agent, updatedAt: conversation.updatedAt });
  localStorage.setItem(INDEX, JSON.stringify(index));
}

export function deleteConversation(id) {
  localStorage.removeItem(PREFIX + id);
  localStorage.setItem(INDEX, JSON.stringify(readJson(INDEX, []).filter(c => c.id !== id)));
  if (currentConversationId() === id) localStorage.removeItem(CURRENT);
}

export function currentConversationId() {
  return localStorage.getItem(CURRENT);
}

export function setCurrentConversationId(id) {
  if (id) localStorage.setItem(CURRENT, id);
  else localStorage.removeItem(CURRENT);
}
