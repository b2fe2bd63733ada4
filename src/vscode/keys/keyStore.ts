/**
 * Keys: values only in SecretStorage (`context.secrets`, named by origin + label), metadata in
 * globalState (never in settings, never in a workspace). Every value read or written is
 * registered with the log's scrubber first.
 */
import * as vscode from 'vscode';
import { NuGetPublisherError } from '../../core/errors';
import { feedOrigin, type Feed } from '../../core/feeds/feed';
import { authorizationOf, credentialFor, presetFor, secretName, type KeyRecord } from '../../core/keys/keys';
import type { Log } from '../log';
import { stateWriter } from '../stateWriter';
import { FeedClient } from '../../core/feeds/feedClient';
import { CredentialProviders, providerUri, type PluginAnswer } from '../../core/keys/credentialProviders';

const STATE_KEY = 'nugetPublisher.keys';

export class KeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  public readonly onDidChange = this.changed.event;

  private readonly clients = new Map<string, FeedClient>();
  /** Credential provider plugins (Azure Artifacts' CredentialProvider.Microsoft), asked once per feed. */
  private readonly providers: CredentialProviders;

  public constructor(private readonly context: vscode.ExtensionContext, private readonly log: Log) {
    this.providers = new CredentialProviders({
      clientVersion: String(context.extension?.packageJSON?.version ?? '0.0.0'),
      protect: (credentials) => log.protectBasic(credentials.username, credentials.password),
      onLog: (message) => log.info('credential provider', message),
    });
  }

  /**
   * The feed client for a configured feed, reading with the Basic key stored for its origin. One
   * per feed definition, so that its conditional-request cache lives as long as the window.
   */
  public clientFor(feed: Feed): FeedClient {
    const key = JSON.stringify([feed.name, feed.source, feed.kind]);
    let client = this.clients.get(key);
    if (!client) {
      client = new FeedClient(feed, (origin) => this.readAuthorizationFor(origin, feed), async (url, isRetry) => {
        const answer = await this.providers.authorizationFor(url, isRetry);
        this.log.info('keys', answer.plugin ? `${feed.name} wanted credentials to read: using ${answer.plugin}` : `${feed.name} wants credentials to read, and ${answer.why}`);
        return answer;
      });
      this.clients.set(key, client);
    }
    return client;
  }

  /** Credentials for a feed from an installed credential provider (for pushes when no key is stored). */
  public async providerCredentials(feed: Feed): Promise<PluginAnswer> {
    return this.providers.credentialsFor(providerUri(feed));
  }

  /** Refresh: a provider installed or signed in since is asked again. */
  public forgetProviderAnswers(): void {
    this.providers.forget();
  }

  public list(): KeyRecord[] {
    return recordsOf(this.context.globalState.get<unknown>(STATE_KEY));
  }

  public find(origin: string, label: string): KeyRecord | undefined {
    return this.list().find((record) => record.origin === origin && record.label === label);
  }

  /** The secret value; undefined when SecretStorage lost it (e.g. another machine's settings sync). */
  public async secret(record: Pick<KeyRecord, 'origin' | 'label'>): Promise<string | undefined> {
    const value = await this.context.secrets.get(secretName(record.origin, record.label));
    if (value) {
      this.log.protect(value);
    }
    return value || undefined;
  }

  /**
   * Authorization for reading a feed that needs credentials even to read (GitHub Packages, Azure
   * Artifacts): the first Basic key stored for the feed's origin, or undefined.
   */
  public async readAuthorization(feed: Feed): Promise<string | undefined> {
    const origin = feedOrigin(feed);
    return origin ? this.readAuthorizationFor(origin, feed) : undefined;
  }

  /** The Authorization header for reads of an origin (Basic credentials stored for it), or undefined. */
  public async readAuthorizationFor(origin: string, feed?: Feed): Promise<string | undefined> {
    const record = this.list().find((candidate) => candidate.origin === origin && candidate.scheme === 'basic');
    const secret = record ? await this.secret(record) : undefined;
    return record && secret ? authorizationOf(credentialFor(record, secret, presetFor(feed ?? { name: origin, source: origin, kind: 'v3' }))) : undefined;
  }

  public async add(record: KeyRecord, secret: string): Promise<void> {
    this.log.protect(secret);
    if (this.find(record.origin, record.label)) {
      throw new NuGetPublisherError('NP2043', `A key named "${record.label}" already exists for ${record.origin}.`, 'Choose another label, or use Replace Key.');
    }
    // The secret first: metadata without a value would be a key that cannot work.
    await this.context.secrets.store(secretName(record.origin, record.label), secret);
    await this.save((records) => [...records, record]);
    this.log.info('keys', `added key "${record.label}" for ${record.origin} (glob ${record.glob})`);
  }

  /** Rotation: a new value for an existing key, and optionally new metadata (e.g. expiry). */
  public async replace(record: KeyRecord, secret: string, changes: Partial<Omit<KeyRecord, 'origin' | 'label'>> = {}): Promise<void> {
    this.log.protect(secret);
    await this.context.secrets.store(secretName(record.origin, record.label), secret);
    await this.update(record, { ...changes, lastTest: undefined });
    this.log.info('keys', `replaced the value of key "${record.label}" for ${record.origin}`);
  }

  /** Metadata changes; a new label moves the secret to its new name. */
  public async update(record: KeyRecord, changes: Partial<Omit<KeyRecord, 'origin'>>): Promise<KeyRecord> {
    const updated: KeyRecord = { ...record, ...changes };
    if (updated.label !== record.label) {
      const value = await this.secret(record);
      if (value === undefined) {
        throw new NuGetPublisherError('NP2041', `The value of key "${record.label}" is missing from the secret storage.`, 'Use NuGet: Replace Key first.');
      }
      await this.context.secrets.store(secretName(updated.origin, updated.label), value);
      await this.context.secrets.delete(secretName(record.origin, record.label));
    }
    await this.save((records) => records.map((candidate) => (candidate.origin === record.origin && candidate.label === record.label ? updated : candidate)));
    return updated;
  }

  public async remove(record: Pick<KeyRecord, 'origin' | 'label'>): Promise<void> {
    await this.context.secrets.delete(secretName(record.origin, record.label));
    await this.save((records) => records.filter((candidate) => !(candidate.origin === record.origin && candidate.label === record.label)));
    this.log.info('keys', `removed key "${record.label}" for ${record.origin}`);
  }

  /** The change is applied to the records as they are when its turn comes (see stateWriter.ts). */
  private async save(change: (records: KeyRecord[]) => KeyRecord[]): Promise<void> {
    await stateWriter(this.context.globalState).write<unknown>(STATE_KEY, (stored) => change(recordsOf(stored)));
    this.changed.fire();
  }

  public dispose(): void {
    this.changed.dispose();
  }
}

function recordsOf(stored: unknown): KeyRecord[] {
  return Array.isArray(stored) ? (stored as KeyRecord[]).filter((record) => typeof record?.origin === 'string' && typeof record?.label === 'string') : [];
}
