/**
 * Finds where elements start in nuspec text, so diagnostics can point at a line and column.
 * fast-xml-parser gives no positions; this scanner walks the tags (skipping comments, CDATA and
 * processing instructions) and records each element's path, e.g. "package/metadata/licenseurl".
 */
export interface SourceRange {
  /** 1-based line and column of the start, 0-based offsets of the element's start tag. */
  readonly line: number;
  readonly column: number;
  readonly start: number;
  readonly end: number;
}

export class NuspecLocator {
  private readonly elements = new Map<string, number[][]>();
  private readonly lineStarts: number[] = [0];

  public constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) {
        this.lineStarts.push(i + 1);
      }
    }
    this.scan();
  }

  /** The start tag of the n-th element at `path` (local names, any case, "/"-separated). */
  public find(path: string, occurrence = 0): SourceRange | undefined {
    const found = this.elements.get(path.toLowerCase())?.[occurrence];
    return found ? this.range(found[0], found[1]) : undefined;
  }

  /** The range of the element's text content (between start and end tag), if it has one. */
  public findContent(path: string, occurrence = 0): SourceRange | undefined {
    const found = this.elements.get(path.toLowerCase())?.[occurrence];
    if (!found || found[2] < 0) {
      return undefined;
    }
    return this.range(found[1], found[2]);
  }

  public count(path: string): number {
    return this.elements.get(path.toLowerCase())?.length ?? 0;
  }

  public position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= offset) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return { line: low + 1, column: offset - this.lineStarts[low] + 1 };
  }

  private range(start: number, end: number): SourceRange {
    return { ...this.position(start), start, end };
  }

  private scan(): void {
    const text = this.text;
    const stack: { path: string; record: number[] }[] = [];
    let at = 0;
    while (at < text.length) {
      const open = text.indexOf('<', at);
      if (open < 0) {
        break;
      }
      if (text.startsWith('<!--', open)) {
        at = skipTo(text, open, '-->');
        continue;
      }
      if (text.startsWith('<![CDATA[', open)) {
        at = skipTo(text, open, ']]>');
        continue;
      }
      if (text.startsWith('<?', open) || text.startsWith('<!', open)) {
        at = skipTo(text, open, '>');
        continue;
      }
      const close = findTagEnd(text, open);
      if (close < 0) {
        break;
      }
      const tag = text.slice(open, close + 1);
      const match = /^<(\/?)\s*([^\s/>]+)/.exec(tag);
      if (match) {
        const localName = match[2].replace(/^.*:/, '').toLowerCase();
        if (match[1] === '/') {
          const top = stack.pop();
          if (top) {
            top.record[2] = open;
          }
        } else {
          const parent = stack.length > 0 ? stack[stack.length - 1].path : '';
          const path = parent ? `${parent}/${localName}` : localName;
          const record = [open, close + 1, -1];
          const list = this.elements.get(path) ?? [];
          list.push(record);
          this.elements.set(path, list);
          if (!tag.endsWith('/>')) {
            stack.push({ path, record });
          }
        }
      }
      at = close + 1;
    }
  }
}

function skipTo(text: string, from: number, terminator: string): number {
  const end = text.indexOf(terminator, from);
  return end < 0 ? text.length : end + terminator.length;
}

/** The index of the ">" closing a tag, honouring quoted attribute values. */
function findTagEnd(text: string, open: number): number {
  let quote = '';
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) {
        quote = '';
      }
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '>') {
      return i;
    }
  }
  return -1;
}

/** The whole element (start tag to end of end tag) as offsets, for edits that replace it. */
export function wholeElement(locator: NuspecLocator, text: string, path: string): { start: number; end: number } | undefined {
  const start = locator.find(path);
  if (!start) {
    return undefined;
  }
  const content = locator.findContent(path);
  if (!content) {
    return { start: start.start, end: start.end };
  }
  const close = text.indexOf('>', content.end);
  return { start: start.start, end: close < 0 ? text.length : close + 1 };
}
