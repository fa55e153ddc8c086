// Entry point: views (tabs with arrow-key navigation), the conversation sidebar, the connection line.

import { apiJson, changeKey } from './api.js';
import * as chat from './chat.js';
import { initPlugins } from './plugins.js';
import { showModel } from './model.js';
import { renderSessions } from './sessions.js';
import * as store from './store.js';

const $ = id => document.getElementById(id);
const tabs = ['chat', 'plugins', 'model'];

function selectTab(name, focus = false) {
  for (const tab of tabs) {
    const selected = tab === name;
    const button = $(`tab-${tab}`);
    button.setAttribute('aria-selected', String(selected));
    button.tabIndex = selected ? 0 : -1;
    $(`view-${tab}`).hidden = !selected;
    if (selected && focus) button.focus();
  }
  showModel(name === 'model');
  document.body.dataset.view = name;
}

function initTabs() {
  for (const tab of tabs) {
    const button = $(`tab-${tab}`);
    button.addEventListener('click', () => selectTab(tab));
    button.addEventListener('keydown', event => {
      const i = tabs.indexOf(tab);
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      selectTab(tabs[(next + tabs.length) % tabs.length], true);
    });
  }
}

function refreshSessions() {
  renderSessions({
    currentId: chat.currentConversation()?.id,
    onOpen: id => { chat.openConversationById(id); selectTab('chat'); closeNav(); },
    onDelete: id => {
      const wasCurrent = chat.currentConversation()?.id === id;
      store.deleteConversation(id);
      if (wasCurrent) chat.newConversation();
      else refreshSessions();
    },
  });
}

function closeNav() {
  document.body.classList.remove('nav-open');
  $('nav-toggle').setAttribute('aria-expanded', 'false');
}

function initNav() {
  $('nav-toggle').addEventListener('click', () => {
    const open = document.body.classList.toggle('nav-open');
    $('nav-toggle').setAttribute('aria-expanded', String(open));
    if (open) $('new-chat').focus();
  });
  document.addEventListener('keydown', event => { if (event.key === 'Escape' && document.body.classList.contains('nav-open')) closeNav(); });
  $('new-chat').addEventListener('click', () => { chat.newConversation(); selectTab('chat'); closeNav(); });
  $('change-key').addEventListener('click', () => changeKey().then(key => key && connect()));
}

async function connect() {
  const status = $('connection');
  try {
    const models = await apiJson('/v1/models');
    const id = models.data[0]?.id ?? 'agenthost';
    // A server without the Responses API has no /v1/agents: then the page talks to the model only.
    const agents = await apiJson('/v1/agents').then(body => body.data, () => []);
    chat.setTargets(id, agents);
    status.textContent = `Connected · ${id}`;
    status.className = 'ok';
  } catch (error) {
    status.textContent = error.status === 401 ? 'Not connected: API key needed' : `Not connected: ${error.message}`;
    status.className = 'error';
  }
}

initTabs();
initNav();
chat.initChat({ onConversationsChanged: refreshSessions });
selectTab('chat');
connect().then(() => initPlugins());
