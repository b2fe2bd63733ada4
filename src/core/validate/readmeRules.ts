/**
 * The readme as nuget.org shows it (learn.microsoft.com/nuget/nuget-org/package-readme-on-nuget-org):
 * - NP0054: images from a domain nuget.org does not display. The list is the gallery's
 *   Trusted-Image-Domains.json, plus the GitHub Actions and Azure Pipelines status badges its
 *   image validator allows;
 * - NP0055: relative links and images, which have no base on the package page.
 * Both are warnings: nuget.org takes the package, but the page shows a broken image or link.
 * Code spans and fenced blocks are left out, as Markdown renders them as text.
 */
import type { Diagnostic } from './diagnostic';

export const TRUSTED_IMAGE_DOMAINS: readonly string[] = [
  'api.bintray.com', 'api.codacy.com', 'app.codacy.com', 'api.codeclimate.com', 'api.dependabot.com', 'api.travis-ci.com', 'api.travis-ci.org',
  'app.fossa.io', 'badge.fury.io', 'badgen.net', 'badges.gitter.im', 'bettercodehub.com', 'buildstats.info', 'cdn.jsdelivr.net', 'ci.appveyor.com',
  'circleci.com', 'codecov.io', 'codefactor.io', 'coveralls.io', 'gitlab.com', 'img.shields.io', 'i.imgur.com', 'isitmaintained.com',
  'opencollective.com', 'snyk.io', 'sonarcloud.io', 'raw.github.com', 'raw.githubusercontent.com', 'user-images.githubusercontent.com',
  'camo.githubusercontent.com',
];

/** Whether nuget.org displays an image from this absolute URL. */
export function isTrustedImage(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  if (TRUSTED_IMAGE_DOMAINS.includes(host)) {
    return true;
  }
  // Build badges the gallery's validator allows by path: GitHub Actions and Azure Pipelines.
  if (host === 'github.com' && /^\/[^/]+\/[^/]+\/(actions\/)?workflows\/[^/]+\/badge\.svg$/i.test(url.pathname)) {
    return true;
  }
  return (host === 'dev.azure.com' || host.endsWith('.visualstudio.com')) && /\/_apis\/build\/status/i.test(url.pathname);
}

interface Reference {
  readonly target: string;
  readonly image: boolean;
}

/** Link and image targets of a Markdown text (inline, reference definitions, and HTML img/a). */
export function readmeReferences(markdown: string): Reference[] {
  const text = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
  const found: Reference[] = [];
  const target = (raw: string): string => raw.trim().replace(/^<|>$/g, '');
  for (const match of text.matchAll(/(!?)\[(?:[^\][]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^)\s]+)/g)) {
    found.push({ target: target(match[2]), image: match[1] === '!' });
  }
  for (const match of text.matchAll(/^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/gm)) {
    found.push({ target: target(match[1]), image: false });
  }
  for (const match of text.matchAll(/<(img|a)\b[^>]*?\b(src|href)\s*=\s*["']([^"']*)["']/gi)) {
    found.push({ target: match[3].trim(), image: match[1].toLowerCase() === 'img' });
  }
  return found;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

export function checkReadme(markdown: string): Diagnostic[] {
  const untrusted = new Set<string>();
  const relative = new Set<string>();
  for (const { target, image } of readmeReferences(markdown)) {
    if (target === '' || target.startsWith('#')) {
      continue;
    }
    if (!SCHEME.test(target) && !target.startsWith('//')) {
      relative.add(target);
      continue;
    }
    if (image) {
      let url: URL | undefined;
      try {
        url = new URL(target.startsWith('//') ? `https:${target}` : target);
      } catch {
        url = undefined;
      }
      if (url && (url.protocol === 'https:' || url.protocol === 'http:') && !isTrustedImage(url)) {
        untrusted.add(url.hostname);
      }
    }
  }
  const list = (items: Set<string>): string => [...items].slice(0, 3).map((item) => `"${item}"`).join(', ') + (items.size > 3 ? ` and ${items.size - 3} more` : '');
  const findings: Diagnostic[] = [];
  if (untrusted.size > 0) {
    findings.push({ code: 'NP0054', severity: 'warning', element: 'metadata/readme', message: `The readme shows images from ${list(untrusted)}, which nuget.org does not display (it shows images only from its trusted domains, such as img.shields.io, raw.githubusercontent.com and user-images.githubusercontent.com). Host the images on a trusted domain, or leave them out of the packed readme.` });
  }
  if (relative.size > 0) {
    findings.push({ code: 'NP0055', severity: 'warning', element: 'metadata/readme', message: `The readme has relative links or images (${list(relative)}); on the package page they have no base and break. Use absolute https URLs (for example https://raw.githubusercontent.com/<owner>/<repo>/<branch>/<path> for images).` });
  }
  return findings;
}
