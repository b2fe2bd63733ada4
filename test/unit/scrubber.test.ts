/** The one secret scrubber for every output, and terminal escaping of untrusted text. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { displayUrl, escapeControl, scrubDeep, SecretScrubber } from '../../src/core/secrets/scrubber';

const KEY = 'oy2-secret-key-value-0123456789';
const PASSWORD = 'p@ss-w0rd-secret';

describe('the scrubber', () => {
  it('replaces secrets in their encoded forms and URL user-info', () => {
    const scrubber = new SecretScrubber();
    scrubber.protect(KEY);
    scrubber.protectBasic('alice', PASSWORD);
    const text = `k=${KEY} u=${encodeURIComponent(PASSWORD)} b=${Buffer.from(`alice:${PASSWORD}`).toString('base64')} url=https://bob:hunter22@feed.example/v3/index.json`;
    assert.equal(scrubber.scrub(text), 'k=*** u=*** b=*** url=https://feed.example/v3/index.json');
  });

  it('ignores placeholder keys too short to be secrets', () => {
    const scrubber = new SecretScrubber();
    scrubber.protect('az');
    assert.equal(scrubber.scrub('Azure az'), 'Azure az');
  });

  it('makes terminal control characters visible', () => {
    assert.equal(escapeControl('a\x1b[2Jb\x07c\rd\ne'), 'a\\x1b[2Jb\\x07c\\x0dd\\x0ae');
    assert.equal(escapeControl('line1\nline2\t\x1b', true), 'line1\nline2\t\\x1b');
  });

  it('removes URL user-info even when the password holds a raw "@"', () => {
    assert.equal(displayUrl(`https://alice:${PASSWORD}@feed.example/v3/index.json`), 'https://feed.example/v3/index.json');
    assert.equal(displayUrl('see https://feed.example/v3/index.json?x=a@b'), 'see https://feed.example/v3/index.json?x=a@b');
  });

  it('scrubs every string of a webview message, leaving its shape', () => {
    const scrubber = new SecretScrubber();
    scrubber.protect(KEY);
    assert.deepEqual(scrubDeep({ type: 'state', rows: [{ note: `key ${KEY}`, n: 3, ok: true }] }, (text) => scrubber.scrub(text)), { type: 'state', rows: [{ note: 'key ***', n: 3, ok: true }] });
  });
});
