// The kernel functions of GET /v1/plugins, loaded once and shared by the plugin panel and the chat's tool list.

import { apiJson } from './api.js';

let catalog = null;

/** [{plugin, function, description, parameters, tool}] where tool is the OpenAI function name used in chat. */
export function loadPlugins() {
  catalog ??= apiJson('/v1/plugins')
    .then(body => body.data.map(f => ({ ...f, tool: toolName(f.plugin, f.function) })))
    .catch(error => { catalog = null; throw error; });
  return catalog;
}

/** OpenAI function names allow [A-Za-z0-9_-]: "Plugin-Function", as Semantic Kernel names them. */
export function toolName(plugin, fn) {
  return `${plugin}-${fn}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
}

/** The OpenAI tool definition of a kernel function. */
export function toolDefinition(entry) {
  const schema = entry.parameters ?? { type: 'object', properties: {} };
  return {
    type: 'function',
    function: {
      name: entry.tool,
      description: entry.description ?? '',
      parameters: { type: 'object', properties: schema.properties ?? {}, required: schema.required ?? [] },
    },
  };
}
