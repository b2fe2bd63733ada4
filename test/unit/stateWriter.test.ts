import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { StateWriter } from '../../src/vscode/stateWriter';

/**
 * A model of VS Code's extension globalState (extHostMemento + mainThreadStorage): update() sets
 * the host's copy at once and sends the whole object; the workbench stores it and sends the whole
 * object back, and the echo replaces the host's copy. `latency` orders the replies as a busy
 * machine can: a later write's echo may overtake nothing, an earlier one may land late.
 */
class EchoingMemento {
  private value: Record<string, unknown> = {};
  public constructor(private readonly latency: () => number) {}
  public keys(): readonly string[] {
    return Object.keys(this.value);
  }
  public get<T>(key: string, fallback?: T): T {
    return (key in this.value ? this.value[key] : fallback) as T;
  }
  public update(key: string, value: unknown): Promise<void> {
    this.value = { ...this.value, [key]: value };
    const sent = JSON.stringify(this.value);
    return new Promise((resolve) => {
      setTimeout(() => {
        this.value = JSON.parse(sent) as Record<string, unknown>;
        resolve();
      }, this.latency());
    });
  }
}

describe('globalState writes', () => {
  it('the model loses a write when two are in flight (the behaviour the writer exists for)', async () => {
    const delays = [20, 1];
    const memento = new EchoingMemento(() => delays.shift() ?? 0);
    const first = memento.update('walkthrough', ['keyStored']);
    await memento.update('keys', ['CI push', 'team']);
    await first;
    assert.equal(memento.get('keys'), undefined, 'the late echo of the first write replaced the second');
  });

  it('chained through the writer, every write is kept, each computed from the state at its turn', async () => {
    const delays = [20, 1, 5, 1];
    const memento = new EchoingMemento(() => delays.shift() ?? 0);
    const writer = new StateWriter(memento as never);
    const writes = [
      writer.write('keys', () => ['CI push']),
      writer.write('walkthrough', () => ['keyStored']),
      writer.write<string[]>('keys', (keys) => [...(keys ?? []), 'team']),
      writer.write('tracker', () => []),
    ];
    await Promise.all(writes);
    assert.deepEqual([memento.get('keys'), memento.get('walkthrough'), memento.get('tracker')], [['CI push', 'team'], ['keyStored'], []]);
  });

  it('a failed write does not stop the ones after it', async () => {
    const memento = new EchoingMemento(() => 0);
    const failing = { get: memento.get.bind(memento), keys: () => memento.keys(), update: (key: string, value: unknown) => (key === 'a' ? Promise.reject(new Error('disk full')) : memento.update(key, value)) };
    const writer = new StateWriter(failing as never);
    const [a, b] = [writer.write('a', () => 1), writer.write('b', () => 2)];
    await assert.rejects(a, /disk full/);
    await b;
    assert.equal(memento.get('b'), 2);
  });
});
