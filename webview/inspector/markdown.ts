/**
 * Readme rendering: Markdown via marked, with raw HTML shown as text and links limited to
 * http(s)/mailto. The CSP blocks scripts and remote images regardless.
 */
import { Marked, type Tokens } from 'marked';
import { escapeXml } from '../../src/shared/webviewCore';


function safeHref(href: string): string | undefined {
  return /^(https?:|mailto:|#)/i.test(href.trim()) ? href : undefined;
}

const markdown = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      return `<code class="raw-html">${escapeXml(token.text)}</code>`;
    },
    link(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, token: Tokens.Link): string {
      const text = this.parser.parseInline(token.tokens);
      const href = safeHref(token.href);
      return href ? `<a href="${escapeXml(href)}" title="${escapeXml(token.title ?? href)}">${text}</a>` : text;
    },
    image(token: Tokens.Image): string {
      return `<span class="image-placeholder" title="${escapeXml(token.href)}">[image: ${escapeXml(token.text || token.href)}]</span>`;
    },
  },
});

export function renderMarkdown(source: string): string {
  return markdown.parse(source) as string;
}
