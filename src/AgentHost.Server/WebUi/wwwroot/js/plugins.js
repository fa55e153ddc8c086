// The plugin panel: pick a kernel function, fill in the form made from its schema, run it, see the result —
// structured (a tree of its fields), with proofreading edits highlighted in the text, and the raw JSON.

import { apiJson } from './api.js';
import { loadPlugins } from './catalog.js';
import { el, prettyJson } from './dom.js';
import { buildForm } from './schema-form.js';

const $ = id => document.getElementById(id);
let functions = [];
let form = null;
let running = null;

export async function initPlugins() {
  const select = $('plugin-function');
  select.addEventListener('change', () => choose(select.value));
  $('plugin-form').addEventListener('submit', event => { event.preventDefault(); run(); });
  try {
    functions = await loadPlugins();
  } catch (error) {
    $('plugin-description').textContent = `Plugins unavailable: ${error.message}`;
    return;
  }
  const groups = new Map();
  for (const f of functions) {
    if (!groups.has(f.plugin)) groups.set(f.plugin, el('optgroup', { label: f.plugin }));
    groups.get(f.plugin).append(el('option', { value: f.tool, text: `${f.plugin}.${f.function}` }));
  }
  select.replaceChildren(...groups.values());
  if (functions.length) choose(functions[0].tool);
  else $('plugin-description').textContent = 'The server has no kernel functions.';
}

function choose(tool) {
  const entry = functions.find(f => f.tool === tool);
  if (!entry) return;
  $('plugin-function').value = tool;
  $('plugin-description').textContent = entry.description ?? '';
  form = { entry, ...buildForm($('plugin-fields'), entry.parameters) };
  $('plugin-result').replaceChildren();
}

async function run() {
  if (!form || running) return;
  const { entry } = form;
  const output = $('plugin-result');
  let args;
  try {
    args = form.read();
  } catch (error) {
    output.replaceChildren(el('p', { class: 'error', role: 'alert', text: error.message }));
    return;
  }
  const button = $('plugin-run');
  button.disabled = true;
  output.setAttribute('aria-busy', 'true');
  output.replaceChildren(el('p', { class: 'muted', text: `Running ${entry.plugin}.${entry.function}…` }));
  running = entry;
  const started = performance.now();
  try {
    const body = await apiJson(`/v1/plugins/${encodeURIComponent(entry.plugin)}/${encodeURIComponent(entry.function)}`,
      { method: 'POST', body: JSON.stringify(args) });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    output.replaceChildren(
      el('h3', { text: `${entry.plugin}.${entry.function} · ${seconds} s` }),
      resultView(body.result, args),
      el('details', { class: 'raw' }, el('summary', { text: 'Raw JSON' }), el('pre', { class: 'raw-json', text: prettyJson(body.result) })));
  } catch (error) {
    output.replaceChildren(el('p', { class: 'error', role: 'alert', text: `${entry.plugin}.${entry.function} failed: ${error.message}` }));
  } finally {
    running = null;
    button.disabled = false;
    output.removeAttribute('aria-busy');
  }
}

/** The plugins' ToolResult shape is {ok, value} or {ok: false, error}; other functions return plain values. */
function resultView(result, args) {
  if (result && typeof result === 'object' && 'ok' in result && result.ok === false)
    return el('p', { class: 'error', role: 'alert', text: typeof result.error === 'string' ? result.error : prettyJson(result.error) });
  const value = result && typeof result === 'object' && 'ok' in result && 'value' in result ? result.value : result;
  const parts = [];
  if (value && Array.isArray(value.edits) && typeof args.text === 'string') parts.push(highlightEdits(args.text, value.edits));
  parts.push(tree(value));
  return el('div', { class: 'result-view' }, ...parts);
}

/** The original text with each edit shown as <del>original</del><ins>replacement</ins>, in order. */
function highlightEdits(text, edits) {
  const block = el('p', { class: 'edits-highlighted', 'aria-label': 'Text with the edits' });
  let at = 0;
  for (const edit of edits) {
    if (!edit?.original) continue;
    const found = text.indexOf(edit.original, at);
    if (found < 0) continue;
    block.append(text.slice(at, found),
      el('del', { text: edit.original, title: edit.explanation ?? '' }),
      el('ins', { text: edit.replacement ?? '', title: `${edit.kind ?? ''} ${edit.explanation ?? ''}`.trim() }));
    at = found + edit.original.length;
  }
  block.append(text.slice(at));
  return el('section', { class: 'edits' }, el('h4', { text: `Edits (${edits.length})` }), block);
}

function tree(value) {
  if (value === null || value === undefined) return el('span', { class: 'muted', text: 'null' });
  if (Array.isArray(value)) {
    if (!value.length) return el('span', { class: 'muted', text: '(none)' });
    return el('ol', { class: 'tree-list' }, ...value.map(v => el('li', {}, tree(v))));
  }
  if (typeof value === 'object') {
    const list = el('dl', { class: 'tree' });
    for (const [key, v] of Object.entries(value)) list.append(el('dt', { text: key }), el('dd', { 'data-field': key }, tree(v)));
    return list;
  }
  return el('span', { class: typeof value === 'string' ? 'value text' : 'value', text: String(value) });
}
