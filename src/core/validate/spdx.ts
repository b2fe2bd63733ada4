/**
 * License expressions (SPDX syntax) as nuget.org accepts them in <license type="expression">.
 * Identifiers and exceptions come from the SPDX license list as the maintained npm packages
 * spdx-license-ids and spdx-exceptions publish it (bundled at build time); deprecated ids are
 * refused by nuget.org, as NuGet marks them. An id not on the list is a warning (nuget.org checks
 * OSI/FSF approval itself).
 */
import deprecatedLicenseIds from 'spdx-license-ids/deprecated.json';
import licenseIds from 'spdx-license-ids/index.json';
import exceptionIds from 'spdx-exceptions/index.json';
import deprecatedExceptionIds from 'spdx-exceptions/deprecated.json';

const COMMON_LICENSES = new Set<string>(licenseIds);
const EXCEPTIONS = new Set<string>([...exceptionIds, ...deprecatedExceptionIds]);
const DEPRECATED_IDS = new Set<string>(deprecatedLicenseIds);

/** What replaces the deprecated ids people still write (the rest: see spdx.org/licenses). */
const REPLACEMENTS: Readonly<Record<string, string>> = {
  'GPL-2.0': 'GPL-2.0-only', 'GPL-3.0': 'GPL-3.0-only', 'LGPL-2.1': 'LGPL-2.1-only', 'LGPL-3.0': 'LGPL-3.0-only',
  'AGPL-3.0': 'AGPL-3.0-only', 'GPL-2.0+': 'GPL-2.0-or-later', 'GPL-3.0+': 'GPL-3.0-or-later', 'LGPL-2.1+': 'LGPL-2.1-or-later',
  'LGPL-2.0': 'LGPL-2.0-only', 'GPL-1.0': 'GPL-1.0-only', 'AGPL-1.0': 'AGPL-1.0-only', 'GFDL-1.3': 'GFDL-1.3-only',
};

/** The replacement named for a deprecated id. */
function replacementOf(id: string): string | undefined {
  return REPLACEMENTS[id] ?? (DEPRECATED_IDS.has(id) || DEPRECATED_IDS.has(id.replace(/\+$/, '')) ? 'a current SPDX identifier (spdx.org/licenses)' : undefined);
}

export interface LicenseExpressionCheck {
  readonly syntaxError?: string;
  readonly unknownIdentifiers: readonly string[];
  readonly deprecated: readonly { id: string; replacement: string }[];
}

/** Checks SPDX expression syntax: ids, "+", AND, OR, WITH exception, parentheses. */
export function checkLicenseExpression(expression: string): LicenseExpressionCheck {
  const tokens = expression.match(/\(|\)|[A-Za-z0-9.+-]+/g) ?? [];
  const rest = expression.replace(/\(|\)|[A-Za-z0-9.+-]+|\s+/g, '');
  const unknownIdentifiers: string[] = [];
  const deprecated: { id: string; replacement: string }[] = [];
  if (rest.length > 0) {
    return { syntaxError: `unexpected character "${rest[0]}"`, unknownIdentifiers, deprecated };
  }
  let at = 0;
  const error = (message: string): LicenseExpressionCheck => ({ syntaxError: message, unknownIdentifiers, deprecated });
  const isOperator = (token: string | undefined): boolean => token === 'AND' || token === 'OR' || token === 'WITH';
  // expression := term ((AND|OR) term)* ; term := "(" expression ")" | id ["WITH" exception]
  const parseExpression = (): string | undefined => {
    const first = parseTerm();
    if (first) {
      return first;
    }
    while (tokens[at] === 'AND' || tokens[at] === 'OR') {
      at++;
      const next = parseTerm();
      if (next) {
        return next;
      }
    }
    return undefined;
  };
  const parseTerm = (): string | undefined => {
    const token = tokens[at];
    if (token === undefined) {
      return 'the expression ends where a license identifier was expected';
    }
    if (token === '(') {
      at++;
      const inner = parseExpression();
      if (inner) {
        return inner;
      }
      if (tokens[at] !== ')') {
        return 'a "(" is not closed';
      }
      at++;
      return undefined;
    }
    if (token === ')' || isOperator(token)) {
      return `"${token}" where a license identifier was expected`;
    }
    if (/^(and|or|with)$/i.test(token)) {
      return `operators must be upper case: write "${token.toUpperCase()}"`;
    }
    at++;
    const replacement = replacementOf(token);
    if (replacement) {
      deprecated.push({ id: token, replacement });
    } else if (!COMMON_LICENSES.has(token.replace(/\+$/, ''))) {
      unknownIdentifiers.push(token);
    }
    if (tokens[at] === 'WITH') {
      at++;
      const exception = tokens[at];
      if (exception === undefined || exception === '(' || exception === ')' || isOperator(exception)) {
        return '"WITH" must be followed by a license exception identifier';
      }
      if (!EXCEPTIONS.has(exception)) {
        unknownIdentifiers.push(exception);
      }
      at++;
    }
    return undefined;
  };
  const problem = parseExpression();
  if (problem) {
    return error(problem);
  }
  if (at < tokens.length && /^(and|or|with)$/i.test(tokens[at])) {
    return error(`operators must be upper case: write "${tokens[at].toUpperCase()}"`);
  }
  if (at < tokens.length) {
    return error(`unexpected "${tokens[at]}" after a complete expression (join licenses with AND or OR)`);
  }
  return { unknownIdentifiers, deprecated };
}

/** Maps well-known license URLs to the SPDX expression they stand for (for the licenseUrl quick fix). */
export function expressionForLicenseUrl(url: string): string | undefined {
  const trimmed = url.trim();
  let match = /^https?:\/\/licenses\.nuget\.org\/(.+)$/i.exec(trimmed);
  if (match) {
    const expression = decodeURIComponent(match[1]);
    return checkLicenseExpression(expression).syntaxError ? undefined : expression;
  }
  match = /^https?:\/\/(?:www\.)?opensource\.org\/licenses?\/([A-Za-z0-9.+-]+?)(?:\.php|\.html)?\/?$/i.exec(trimmed);
  if (match) {
    const candidate = [...COMMON_LICENSES].find((id) => id.toLowerCase() === match![1].toLowerCase());
    return candidate;
  }
  if (/^https?:\/\/(?:www\.)?apache\.org\/licenses\/LICENSE-2\.0(?:\.txt|\.html)?\/?$/i.test(trimmed)) {
    return 'Apache-2.0';
  }
  if (/^https?:\/\/(?:www\.)?gnu\.org\/licenses\/gpl-3\.0/i.test(trimmed)) {
    return 'GPL-3.0-only';
  }
  if (/^https?:\/\/(?:www\.)?mozilla\.org\/(?:en-US\/)?MPL\/2\.0\/?$/i.test(trimmed)) {
    return 'MPL-2.0';
  }
  return undefined;
}
