// The model panel: /v1/models, /props (context, slots, template, backend, devices), /health (slots in use) and
// /metrics (Prometheus text: tokens/s, cache hits), refreshed every few seconds while the panel is shown.

import { apiJson, apiFetch } from './api.js';
import { el } from './dom.js';

const $ = id => document.getElementById(id);
let timer = null;

/** name{labels} value lines of the Prometheus text format; comments skipped; labelled series keyed with labels. */
export function parsePrometheus(text) {
  const metrics = {};
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([A-Za-z_:][A-Za-z0-9_:]*(?:\{[^}]*\})?)\s+(\S+)/.exec(line);
    if (match) metrics[match[1]] = Number(match[2]);
  }
  return metrics;
}

function fill(list, rows) {
  list.replaceChildren(...rows.filter(([, v]) => v !== undefined && v !== null && v !== '').flatMap(([k, v, key]) =>
    [el('dt', { text: k }), el('dd', { text: String(v), 'data-key': key ?? k })]));
}

const fixed = (n, digits = 1) => Number.isFinite(n) ? n.toFixed(digits) : undefined;
const mib = bytes => bytes > 0 ? `${(bytes / 1048576).toFixed(0)} MiB` : undefined;

export async function refreshModel() {
  try {
    const [models, props, health, metricsText] = await Promise.all([
      apiJson('/v1/models'), apiJson('/props'),
      fetch('/health').then(r => r.json()),
      apiFetch('/metrics').then(r => r.text()),
    ]);
    const m = parsePrometheus(metricsText);
    fill($('model-meta'), [
      ['Model', props.model, 'model'],
      ['Aliases', (props.model_aliases ?? []).join(', ')],
      ['Served ids', models.data.map(d => d.id).join(', ')],
      ['Architecture', props.architecture, 'architecture'],
      ['Vocabulary', props.n_vocab],
      ['Chat template', props.chat_template_name, 'chat_template'],
      ['Build', props.build_info],
      ['File', props.model_path],
    ]);
    fill($('model-slots'), [
      ['Context per slot', props.n_ctx, 'n_ctx'],
      ['Slots', props.total_slots, 'total_slots'],
      ['Slots in use', health.slots_processing ?? m.agenthost_busy_slots, 'slots_processing'],
      ['Idle slots', health.slots_idle, 'slots_idle'],
      ['Queue', health.queue_length ?? m.agenthost_queue_length, 'queue_length'],
      ['Requests in flight', m.agenthost_requests_in_flight],
    ]);
    fill($('model-perf'), [
      ['Generation tokens/s', fixed(m.agenthost_generation_tokens_per_second), 'generation_tps'],
      ['Prompt tokens/s', fixed(m.agenthost_prompt_tokens_per_second), 'prompt_tps'],
      ['Tokens generated', m.agenthost_tokens_generated_total, 'tokens_generated'],
      ['Prompt tokens', m.agenthost_prompt_tokens_total],
      ['Prompt tokens from cache', m.agenthost_prompt_tokens_cached_total, 'cached_tokens'],
      ['Cache hit ratio', Number.isFinite(m.agenthost_prompt_cache_hit_ratio) ? `${(m.agenthost_prompt_cache_hit_ratio * 100).toFixed(1)} %` : undefined, 'cache_hit_ratio'],
    ]);
    fill($('model-backend'), [
      ['Backend', props.backend, 'backend'],
      ...(props.devices ?? []).map((d, i) => [`Device ${i}`, [d.name, d.kind, d.description, mib(d.memory_total)].filter(Boolean).join(' · ')]),
    ]);
  } catch (error) {
    fill($('model-meta'), [['Error', error.message]]);
  }
}

export function showModel(visible) {
  clearInterval(timer);
  timer = null;
  if (!visible) return;
  refreshModel();
  timer = setInterval(refreshModel, 5000);
}
