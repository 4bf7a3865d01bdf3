// Escaping for text that came from a run (agent ids, column values, latent labels) before
// it goes into HTML, SVG, CSV or Markdown.

export function escapeHtml(v: unknown): string {
  return String(v)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; formula-leading characters neutralised. */
export function csvField(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Text inside a Markdown table cell. */
export function escapeMarkdown(v: unknown): string {
  return escapeHtml(String(v).replace(/([\\`*_[\]|])/g, '\\$1').replace(/[\r\n]+/g, ' '));
}
