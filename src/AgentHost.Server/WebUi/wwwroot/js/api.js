// Every call to the server goes through apiFetch: it sends the API key (kept in sessionStorage only, so it dies
// with the tab) and, on a 401, asks for the key once and retries. A wrong key is said to be wrong, in words.

const KEY_STORAGE = 'agenthost.apiKey';
let pendingPrompt = null;

/** An error answer of the server: its status and OpenAI error body (message, type, param, code). */
export class ApiError extends Error {
  constructor(status, message, code, param) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code ?? null;
    this.param = param ?? null;
  }

  static async from(response) {
    let body = null;
    try { body = await response.json(); } catch { /* not JSON: the status says enough */ }
    const error = body?.error ?? {};
    const message = typeof error === 'string' ? error : error.message;
    return new ApiError(response.status, message || `${response.status} ${response.statusText}`.trim(), error.code, error.param);
  }
}

export function apiKey() {
  return sessionStorage.getItem(KEY_STORAGE);
}

/** fetch() on the server with the key; non-2xx answers throw ApiError; a 401 asks for the key and retries. */
export async function apiFetch(path, init = {}) {
  for (;;) {
    const key = apiKey();
    const headers = new Headers(init.headers ?? {});
    if (key) headers.set('Authorization', `Bearer ${key}`);
    if (init.body !== undefined && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
    const response = await fetch(path, { ...init, headers });
    if (response.ok) return response;
    const error = await ApiError.from(response);
    if (response.status !== 401) throw error;
    // Another call may have got a new key while this one was on its way: retry with it before asking.
    if (apiKey() !== key) continue;
    sessionStorage.removeItem(KEY_STORAGE);
    const entered = await askForKey(key ? wrongKeyMessage(error) : 'This server needs an API key. Enter it to continue.');
    if (!entered) throw new ApiError(401, 'No API key given: the server refuses calls without one.', error.code);
    sessionStorage.setItem(KEY_STORAGE, entered);
  }
}

export function wrongKeyMessage(error) {
  return `The server rejected the API key (${error.code ?? 'invalid_api_key'}): ${error.message} Check the key and enter it again.`;
}

/** JSON helper over apiFetch. */
export async function apiJson(path, init) {
  const response = await apiFetch(path, init);
  return response.json();
}

/** Opens the key dialog (one at a time: concurrent 401s share it). Resolves to the key, or null when cancelled. */
export function askForKey(message) {
  if (pendingPrompt) return pendingPrompt;
  const dialog = document.getElementById('key-dialog');
  const form = document.getElementById('key-form');
  const input = document.getElementById('key-input');
  const text = document.getElementById('key-message');
  const cancel = document.getElementById('key-cancel');
  text.textContent = message;
  text.classList.toggle('error', /rejected/.test(message));
  input.value = '';
  pendingPrompt = new Promise(resolve => {
    const finish = value => {
      form.removeEventListener('submit', onSubmit);
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      pendingPrompt = null;
      resolve(value);
    };
    const onSubmit = event => { event.preventDefault(); const value = input.value.trim(); if (value) finish(value); };
    const onCancel = event => { event.preventDefault(); finish(null); };
    form.addEventListener('submit', onSubmit);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('cancel', onCancel);
  });
  dialog.showModal();
  input.focus();
  return pendingPrompt;
}

/** Asks for a key now (the header's button) and keeps it. */
export async function changeKey() {
  const entered = await askForKey('Enter the API key of this server.');
  if (entered) sessionStorage.setItem(KEY_STORAGE, entered);
  return entered;
}

/** The events of a text/event-stream response: {event, data} with data the joined data lines. */
export async function* readServerSentEvents(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        const data = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          else if (line.startsWith('event:')) event = line.slice(6).trim();
        }
        if (data.length) yield { event, data: data.join('\n') };
      }
    }
  } finally {
    reader.releaseLock();
  }
}
