/**
 * Before the first push of a nuget.org plan: can the key push every id of it? nuget.org answers
 * that only through its verify-key pair (Test Key's check: a temporary key for an id and version
 * the site has, then verifykey), so every id nuget.org already has is checked against its newest
 * version. A scope or glob mistake is then named for every id at once, before anything is pushed,
 * instead of leaving a release half published. Ids the site does not have yet cannot be checked
 * (nuget.org checks keys against existing packages only); they are named as unchecked.
 */
import { describeError } from '../errors';
import type { FeedClient } from '../feeds/feedClient';
import type { Credential } from '../keys/keys';
import { testCredential } from '../keys/testKey';
import { compareVersions, parseVersion } from '../version';
import type { Plan } from './publishPlan';

export interface Preflight {
  /** Ids the key may push (checked). */
  readonly covered: readonly string[];
  /** Ids the key may not push, each with the site's reason. */
  readonly refused: readonly { readonly id: string; readonly reason: string }[];
  /** Ids that could not be checked (new on the feed, or the check itself failed), with why. */
  readonly unchecked: readonly { readonly id: string; readonly reason: string }[];
}

/** Checks each id of the plan that will be pushed; `credentialFor` gives the key of an id. */
export async function preflightKeys(plan: Plan, client: FeedClient, credentialFor: (id: string) => Credential | undefined, signal?: AbortSignal): Promise<Preflight> {
  const ids = [...new Map(plan.entries.filter((entry) => entry.action === 'publish').map((entry) => [entry.id.toLowerCase(), entry.id])).values()];
  const covered: string[] = [];
  const refused: { id: string; reason: string }[] = [];
  const unchecked: { id: string; reason: string }[] = [];
  for (const id of ids) {
    const credential = credentialFor(id);
    if (!credential?.apiKey) {
      unchecked.push({ id, reason: 'no API key to check' });
      continue;
    }
    const versions = await client.versions(id, signal).catch(() => undefined);
    const newest = versions?.filter((version) => parseVersion(version)).sort((a, b) => compareVersions(parseVersion(b)!, parseVersion(a)!))[0];
    if (!newest) {
      unchecked.push({ id, reason: versions ? 'new on the feed: nuget.org checks a key only against packages it has' : 'its versions could not be read' });
      continue;
    }
    try {
      const check = await testCredential(client.feed, credential, { id, version: newest }, signal);
      if (check.ok === true) {
        covered.push(id);
      } else if (check.ok === false) {
        refused.push({ id, reason: check.message });
      } else {
        unchecked.push({ id, reason: check.message });
      }
    } catch (error) {
      unchecked.push({ id, reason: describeError(error) });
    }
  }
  return { covered, refused, unchecked };
}
