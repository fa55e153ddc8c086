// The sidebar: saved conversations, newest first; open one to resume it, or delete it.

import { el } from './dom.js';
import * as store from './store.js';

export function renderSessions({ currentId, onOpen, onDelete }) {
  const list = document.getElementById('session-list');
  const conversations = store.listConversations();
  if (!conversations.length) {
    list.replaceChildren(el('li', { class: 'muted', text: 'No saved conversations yet.' }));
    return;
  }
  list.replaceChildren(...conversations.map(c => {
    const when = new Date(c.updatedAt).toLocaleString();
    return el('li', { class: c.id === currentId ? 'session current' : 'session' },
      el('button', { type: 'button', class: 'session-open', 'aria-current': c.id === currentId ? 'true' : undefined, onclick: () => onOpen(c.id) },
        el('span', { class: 'session-title', text: c.title || 'Untitled' }),
        c.kind === 'agent' && el('span', { class: 'session-agent muted', text: `Agent: ${c.agent}` }),
        el('span', { class: 'session-time muted', text: when })),
      el('button', { type: 'button', class: 'session-delete', 'aria-label': `Delete conversation ${c.title}`, title: 'Delete', onclick: () => onDelete(c.id) }, '×'));
  }));
}
