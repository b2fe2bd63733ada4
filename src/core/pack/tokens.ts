/**
 * $token$ replacement in nuspec text, as `nuget pack -Properties id=..;version=..` does.
 * Values are XML-escaped. Tokens are matched case-insensitively.
 */
import { NuGetPublisherError } from '../errors';
import { escapeXml } from '../xml';

export type PackProperties = Readonly<Record<string, string>>;

/** Parses "id=Contoso.Utils;version=1.2.3" (also accepts "," between pairs is NOT allowed: values may hold commas). */
export function parseProperties(text: string): PackProperties {
  const properties: Record<string, string> = {};
  for (const pair of text.split(';').map((item) => item.trim()).filter((item) => item.length > 0)) {
    const at = pair.indexOf('=');
    if (at <= 0) {
      throw new NuGetPublisherError('NP1001', `The property "${pair}" is not of the form name=value.`, 'Write properties as name=value;name=value.');
    }
    properties[pair.slice(0, at).trim().toLowerCase()] = pair.slice(at + 1).trim();
  }
  return properties;
}


const TOKEN = /\$([A-Za-z_][\w.-]*)\$/g;

/** Replaces known tokens (outside comments); returns the text and the names of tokens left. */
export function replaceTokens(text: string, properties: PackProperties): { text: string; unreplaced: string[] } {
  const unreplaced = new Set<string>();
  const parts = text.split(/(<!--[\s\S]*?-->)/);
  const replaced = parts.map((part) => part.startsWith('<!--') ? part : part.replace(TOKEN, (whole, name: string) => {
    const value = properties[name.toLowerCase()];
    if (value === undefined) {
      unreplaced.add(name);
      return whole;
    }
    return escapeXml(value);
  }));
  return { text: replaced.join(''), unreplaced: [...unreplaced] };
}
