// Model text is untrusted. markdown-it runs with html:false, so any HTML in it (a <script>, an <img onerror>) is
// escaped and shown as text; DOMPurify then cleans what markdown-it made (javascript: links and the like), and the
// page's Content-Security-Policy forbids inline scripts besides.

let md = null;

function parser() {
  if (!md && window.markdownit) md = window.markdownit({ html: false, linkify: true, breaks: true, typographer: false });
  return md;
}

/** Replaces target's children with the rendered Markdown of text. */
export function renderMarkdown(target, text) {
  const markdown = parser();
  if (!markdown || !window.DOMPurify) {
    target.textContent = text; // the libraries failed to load: plain text is still safe
    return;
  }
  const fragment = window.DOMPurify.sanitize(markdown.render(text), {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS: ['style', 'form', 'input', 'button'],
    FORBID_ATTR: ['style'],
  });
  for (const link of fragment.querySelectorAll('a')) {
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
  }
  target.replaceChildren(fragment);
}
