/**
 * One linear pass over untrusted nuspec text before any parser sees it. It refuses what a nuspec
 * never needs and what makes XML parsers slow or hungry:
 * - DOCTYPE / ENTITY (and any other `<!` declaration): entity expansion and external entities;
 * - named entities other than XML's five, and a bare `&`;
 * - unclosed comments, CDATA sections, processing instructions and tags (refused at the first
 *   one, so 100,000 unclosed `<!--` cost one scan, not 100,000);
 * - more elements, attributes or nesting than any real nuspec has (the limits keep the parsers
 *   under a few tens of MB whatever the input; real nuspecs have a few hundred elements).
 * No regular expression runs over the whole text: every position is visited a bounded number of times.
 */
import { NuspecParseError } from '../errors';

export interface NuspecLimits {
  readonly maxElements: number;
  readonly maxAttributes: number;
  readonly maxDepth: number;
}

/** Far beyond real nuspecs (the largest seen on nuget.org have a few thousand dependency elements). */
export const NUSPEC_LIMITS: NuspecLimits = { maxElements: 50_000, maxAttributes: 100_000, maxDepth: 64 };

const PREDEFINED = ['lt', 'gt', 'amp', 'quot', 'apos'];

type Position = (offset: number) => { line: number; column: number };
type Refuse = (code: string, offset: number, cause: (line: number, column: number) => string, fix: string) => never;

export function prescanNuspec(text: string, position: Position, limits: NuspecLimits = NUSPEC_LIMITS): void {
  const refuse: Refuse = (code, offset, cause, fix) => {
    const { line, column } = position(offset);
    throw new NuspecParseError(code, cause(line, column), fix, line, column);
  };
  const unclosed = (what: string, offset: number, terminator: string): never =>
    refuse('NP0923', offset, (line, column) => `The nuspec is not well-formed XML: ${what} opened at line ${line}, column ${column} is never closed with "${terminator}".`, `Close the ${what} (or remove it).`);
  let elements = 0;
  let attributes = 0;
  let depth = 0;
  let at = 0;
  const length = text.length;
  // Next "&" and "<" at or after `at`, found again only once passed (one indexOf per hit: linear).
  let amp = -1;
  let lt = -1;
  while (at < length) {
    if (amp !== -2 && amp < at) {
      amp = text.indexOf('&', at);
      amp = amp < 0 ? -2 : amp;
    }
    if (lt !== -2 && lt < at) {
      lt = text.indexOf('<', at);
      lt = lt < 0 ? -2 : lt;
    }
    if (amp >= 0 && (lt < 0 || amp < lt)) {
      at = checkReference(text, amp, refuse);
      continue;
    }
    if (lt < 0) {
      break;
    }
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      at = end < 0 ? unclosed('comment', lt, '-->') : end + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      at = end < 0 ? unclosed('CDATA section', lt, ']]>') : end + 3;
    } else if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      at = end < 0 ? unclosed('processing instruction', lt, '?>') : end + 2;
    } else if (text.startsWith('<!', lt)) {
      const word = /^<!([A-Za-z]*)/.exec(text.slice(lt, lt + 12))?.[1].toUpperCase() || '!';
      refuse('NP0922', lt, (line) => `The nuspec contains a <!${word}> declaration (line ${line}); nuspecs never need one and it enables XML entity attacks.`, 'Remove the DOCTYPE/ENTITY declaration.');
    } else {
      const tag = scanTag(text, lt, refuse);
      if (tag.end < 0) {
        unclosed('tag', lt, '>');
      }
      if (tag.closing) {
        depth--;
      } else {
        elements++;
        attributes += tag.attributes;
        if (!tag.selfClosing) {
          depth++;
        }
        if (elements > limits.maxElements || attributes > limits.maxAttributes || depth > limits.maxDepth) {
          const what = depth > limits.maxDepth ? `nests elements more than ${limits.maxDepth} deep` : elements > limits.maxElements ? `has more than ${limits.maxElements} elements` : `has more than ${limits.maxAttributes} attributes`;
          refuse('NP0925', lt, (line) => `The nuspec ${what} (at line ${line}); no real nuspec comes close, so it is refused before parsing.`, 'Do not use this package; pack it again from a real .nuspec.');
        }
      }
      at = tag.end + 1;
    }
  }
}

/** Checks the reference starting at `amp` without allocating; returns the offset after it. */
function checkReference(text: string, amp: number, refuse: Refuse): number {
  const after = amp + 1;
  for (const name of PREDEFINED) {
    if (text.startsWith(name, after) && text.charCodeAt(after + name.length) === 59) {
      return after + name.length + 1;
    }
  }
  if (text.charCodeAt(after) === 35) {
    const hex = text.charCodeAt(after + 1) === 120;
    let end = hex ? after + 2 : after + 1;
    const start = end;
    while (end - start < 8 && isDigit(text.charCodeAt(end), hex)) {
      end++;
    }
    if (end > start && end - start <= (hex ? 6 : 7) && text.charCodeAt(end) === 59) {
      return end + 1;
    }
  }
  // A reference name is short: look at most 40 characters ahead (keeps the scan linear).
  let end = after;
  const limit = Math.min(text.length, amp + 40);
  while (end < limit && isNameChar(text.charCodeAt(end))) {
    end++;
  }
  const name = text.slice(after, end);
  const what = text[end] === ';' && name ? `the undeclared entity &${name};` : 'a bare "&"';
  return refuse('NP0923', amp, (line, column) => `The nuspec is not well-formed XML: ${what} at line ${line}, column ${column}.`, 'Write & as &amp; (and < as &lt;).');
}

function isDigit(code: number, hex: boolean): boolean {
  return (code >= 48 && code <= 57) || (hex && ((code >= 65 && code <= 70) || (code >= 97 && code <= 102)));
}

function isNameChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 35 || code === 95 || code === 45 || code === 46 || code === 58 || code > 127;
}

/**
 * A start or end tag from `<` to its `>`, honouring quotes; counts attributes by their `=` and
 * checks the entity references in attribute values.
 */
function scanTag(text: string, lt: number, refuse: Refuse): { end: number; closing: boolean; selfClosing: boolean; attributes: number } {
  const closing = text[lt + 1] === '/';
  let quote = 0;
  let attributes = 0;
  for (let i = lt + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (quote !== 0) {
      if (code === quote) {
        quote = 0;
      } else if (code === 38) {
        i = checkReference(text, i, refuse) - 1;
      }
    } else if (code === 34 || code === 39) {
      quote = code;
    } else if (code === 61) {
      attributes++;
    } else if (code === 62) {
      return { end: i, closing, selfClosing: text.charCodeAt(i - 1) === 47, attributes };
    } else if (code === 60) {
      // A "<" inside a tag: not well-formed; the end of this tag is not here.
      return { end: -1, closing, selfClosing: false, attributes };
    }
  }
  return { end: -1, closing, selfClosing: false, attributes };
}
