/**
 * Makes data-derived text (model names, slice values, card text, issue titles) safe inside HTML,
 * both as element content and as a double-quoted attribute value: `&`, `<`, `>`, `"` and `'`
 * become entities, so no tag, attribute or script can come from data. Every string the site
 * renders from a snapshot goes through this function (or {@link safeHref}).
 *
 * @example
 * escapeHtml('<script>"onload=@x'); // "&lt;script&gt;&quot;onload=@x"
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * An `href` value from data: `https://` URLs and relative paths inside the site, escaped; anything
 * else (`javascript:`, `data:`, protocol-relative `//host`) is refused with `undefined`, so the
 * caller renders plain text instead of a link.
 *
 * @example
 * safeHref("https://github.com/acme/models/releases/tag/churn%2Fv1.2.0"); // the same, escaped
 * safeHref("javascript:alert(1)"); // undefined
 */
export function safeHref(url: string): string | undefined {
  const trimmed = url.trim();
  if (/^https:\/\/[^\s]+$/i.test(trimmed)) return escapeHtml(trimmed);
  if (/^(?![a-z][a-z0-9+.-]*:)(?!\/\/)[^\s\\]+$/i.test(trimmed)) return escapeHtml(trimmed);
  return undefined;
}
