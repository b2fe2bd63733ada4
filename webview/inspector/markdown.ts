/**
 * Readme rendering: Markdown via marked, with raw HTML shown as text and links limited to
 * http(s)/mailto. The CSP blocks scripts and remote images regardless.
 */
import { Marked, type Tokens } from 'marked';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}

function safeHref(href: string): string | undefined {
  return /^(https?:|mailto:|#)/i.test(href.trim()) ? href : undefined;
}

const markdown = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      return `<code class="raw-html">${escapeHtml(token.text)}</code>`;
    },
    link(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, token: Tokens.Link): string {
      const text = this.parser.parseInline(token.tokens);
      const href = safeHref(token.href);
      return href ? `<a href="${escapeHtml(href)}" title="${escapeHtml(token.title ?? href)}">${text}</a>` : text;
    },
    image(token: Tokens.Image): string {
      return `<span class="image-placeholder" title="${escapeHtml(token.href)}">[image: ${escapeHtml(token.text || token.href)}]</span>`;
    },
  },
});

export function renderMarkdown(source: string): string {
  return markdown.parse(source) as string;
}
