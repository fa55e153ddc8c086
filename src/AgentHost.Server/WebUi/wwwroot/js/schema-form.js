// A form generated from a kernel function's JSON schema: strings (a text area for long text), numbers and integers
// (with their bounds), booleans, enums, arrays of strings (one per line), arrays of objects (rows you add and
// remove, e.g. a glossary), nested objects, and JSON text for anything else. read() returns the argument object.

import { el } from './dom.js';

let counter = 0;
const nextId = () => `field-${++counter}`;

const LONG_TEXT = /^(text|texts|document|content|summaries|description|message|question|body|input|glossary)$/i;

export function buildForm(container, schema) {
  const root = objectFields(schema ?? { type: 'object', properties: {} }, new Set(schema?.required ?? []));
  container.replaceChildren(...root.elements);
  if (!root.elements.length) container.append(el('p', { class: 'muted', text: 'This function takes no arguments.' }));
  return { read: root.read };
}

function objectFields(schema, required) {
  const fields = Object.entries(schema.properties ?? {}).map(([name, property]) => field(name, property ?? {}, required.has(name)));
  return {
    elements: fields.map(f => f.element),
    read: () => {
      const value = {};
      for (const f of fields) {
        const v = f.read();
        if (v !== undefined) value[f.name] = v;
      }
      return value;
    },
  };
}

function typeOf(schema) {
  const type = Array.isArray(schema.type) ? schema.type.find(t => t !== 'null') : schema.type;
  if (type) return type;
  if (schema.enum) return 'string';
  if (schema.properties) return 'object';
  return 'json';
}

function describe(name, schema, required) {
  const id = nextId();
  const help = schema.description ? el('small', { id: `${id}-help`, class: 'help muted', text: schema.description }) : null;
  const label = el('label', { for: id }, name, required ? el('span', { class: 'required', 'aria-hidden': 'true', text: ' *' }) : null);
  return { id, help, label };
}

function field(name, schema, required) {
  const type = typeOf(schema);
  const { id, help, label } = describe(name, schema, required);
  const common = { id, name, 'aria-describedby': help ? `${id}-help` : undefined, required: required || undefined };
  const wrap = (...children) => el('div', { class: `field field-${type}` }, ...children);

  if (schema.enum) {
    const select = el('select', common, required ? null : el('option', { value: '', text: '(default)' }),
      ...schema.enum.map(v => el('option', { value: String(v), text: String(v) })));
    if (schema.default !== undefined) select.value = String(schema.default);
    return { name, element: wrap(label, select, help), read: () => select.value === '' ? undefined : schema.enum.find(v => String(v) === select.value) };
  }
  if (type === 'boolean') {
    const box = el('input', { ...common, type: 'checkbox', required: undefined, checked: schema.default === true });
    return { name, element: wrap(el('label', { class: 'inline', for: id }, box, ` ${name}`), help), read: () => box.checked };
  }
  if (type === 'integer' || type === 'number') {
    const input = el('input', { ...common, type: 'number', step: type === 'integer' ? '1' : 'any', min: schema.minimum, max: schema.maximum, value: schema.default });
    return { name, element: wrap(label, input, help), read: () => input.value === '' ? undefined : Number(input.value) };
  }
  if (type === 'string') {
    const long = LONG_TEXT.test(name) || schema.maxLength === undefined || schema.maxLength > 200;
    const input = long ? el('textarea', { ...common, rows: 4, maxlength: schema.maxLength }) : el('input', { ...common, type: 'text', maxlength: schema.maxLength });
    if (schema.default !== undefined) input.value = String(schema.default);
    // Patterns are shown, not enforced here: the server validates and names the field it rejects.
    const pattern = schema.pattern ? el('small', { class: 'help muted', text: `format: ${schema.pattern}` }) : null;
    return { name, element: wrap(label, input, help, pattern), read: () => input.value === '' ? undefined : input.value };
  }
  if (type === 'array' && typeOf(schema.items ?? {}) === 'object' && schema.items.properties) return arrayOfObjects(name, schema, required, id, help);
  if (type === 'array' && ['string', 'integer', 'number'].includes(typeOf(schema.items ?? {}))) {
    const area = el('textarea', { ...common, rows: 3, placeholder: 'one per line' });
    const itemType = typeOf(schema.items);
    return {
      name, element: wrap(label, area, help),
      read: () => {
        const lines = area.value.split('\n').map(l => l.trim()).filter(Boolean);
        if (!lines.length) return undefined;
        return itemType === 'string' ? lines : lines.map(Number);
      },
    };
  }
  if (type === 'object' && schema.properties) {
    const inner = objectFields(schema, new Set(schema.required ?? []));
    return { name, element: el('fieldset', { class: 'field field-object' }, el('legend', { text: name }), help, ...inner.elements), read: inner.read };
  }
  // Anything else: JSON text.
  const area = el('textarea', { ...common, rows: 3, placeholder: 'JSON' });
  return {
    name, element: wrap(label, area, help),
    read: () => {
      if (area.value.trim() === '') return undefined;
      try { return JSON.parse(area.value); } catch (error) { throw new Error(`${name}: not valid JSON (${error.message})`); }
    },
  };
}

function arrayOfObjects(name, schema, required, id, help) {
  const rows = [];
  const body = el('div', { class: 'rows' });
  const legend = el('legend', {}, name, required ? el('span', { class: 'required', 'aria-hidden': 'true', text: ' *' }) : null);
  const addRow = () => {
    const inner = objectFields(schema.items, new Set(schema.items.required ?? []));
    const row = { read: inner.read };
    const remove = el('button', { type: 'button', class: 'row-remove', 'aria-label': `Remove ${name} row`, text: 'Remove' });
    const element = el('div', { class: 'row', role: 'group', 'aria-label': `${name} row` }, ...inner.elements, remove);
    remove.addEventListener('click', () => { rows.splice(rows.indexOf(row), 1); element.remove(); });
    rows.push(row);
    body.append(element);
    element.querySelector('input, textarea, select')?.focus();
  };
  const add = el('button', { type: 'button', class: 'row-add', id, text: `Add ${name} row` });
  add.addEventListener('click', addRow);
  return {
    name,
    element: el('fieldset', { class: 'field field-array', 'aria-describedby': help ? `${id}-help` : undefined }, legend, help, body, add),
    read: () => rows.length ? rows.map(r => r.read()) : undefined,
  };
}
