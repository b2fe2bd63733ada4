/**
 * License expressions (SPDX syntax) as nuget.org accepts them in <license type="expression">.
 * The identifier list covers the licenses most packages use; nuget.org accepts any OSI- or
 * FSF-approved, non-deprecated SPDX identifier, so an unlisted one is only a warning.
 */
const COMMON_LICENSES = new Set([
  '0BSD', 'AFL-3.0', 'AGPL-3.0-only', 'AGPL-3.0-or-later', 'Apache-1.1', 'Apache-2.0', 'APSL-2.0', 'Artistic-2.0',
  'BSD-2-Clause', 'BSD-3-Clause', 'BSD-3-Clause-Clear', 'BSD-4-Clause', 'BSL-1.0', 'CC-BY-4.0', 'CC-BY-SA-4.0', 'CC0-1.0',
  'CDDL-1.0', 'CPL-1.0', 'ECL-2.0', 'EFL-2.0', 'EPL-1.0', 'EPL-2.0', 'EUPL-1.1', 'EUPL-1.2', 'GPL-2.0-only',
  'GPL-2.0-or-later', 'GPL-3.0-only', 'GPL-3.0-or-later', 'ISC', 'LGPL-2.1-only', 'LGPL-2.1-or-later', 'LGPL-3.0-only',
  'LGPL-3.0-or-later', 'LPPL-1.3c', 'MIT', 'MIT-0', 'MPL-1.1', 'MPL-2.0', 'MS-PL', 'MS-RL', 'NCSA', 'ODbL-1.0', 'OFL-1.1',
  'OpenSSL', 'OSL-3.0', 'PHP-3.01', 'PostgreSQL', 'Python-2.0', 'Ruby', 'Unlicense', 'UPL-1.0', 'Vim', 'W3C', 'WTFPL',
  'X11', 'Zlib', 'ZPL-2.1', 'BlueOak-1.0.0', 'Apache-2.0 WITH LLVM-exception',
]);

const EXCEPTIONS = new Set(['LLVM-exception', 'Classpath-exception-2.0', 'GCC-exception-3.1', 'Autoconf-exception-3.0', 'Bison-exception-2.2', 'Font-exception-2.0', 'Qt-LGPL-exception-1.1', 'OpenJDK-assembly-exception-1.0', 'WxWindows-exception-3.1']);

/** Deprecated SPDX ids and what replaces them. */
const DEPRECATED: Readonly<Record<string, string>> = {
  'GPL-2.0': 'GPL-2.0-only', 'GPL-3.0': 'GPL-3.0-only', 'LGPL-2.1': 'LGPL-2.1-only', 'LGPL-3.0': 'LGPL-3.0-only',
  'AGPL-3.0': 'AGPL-3.0-only', 'GPL-2.0+': 'GPL-2.0-or-later', 'GPL-3.0+': 'GPL-3.0-or-later', 'LGPL-2.1+': 'LGPL-2.1-or-later',
};

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
    if (DEPRECATED[token]) {
      deprecated.push({ id: token, replacement: DEPRECATED[token] });
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
