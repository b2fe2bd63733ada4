/** The zip CRC-32: Node's native one (when Node has it) and the table-driven one agree, whole and in pieces. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { crc32, tableCrc32 } from '../../src/core/nupkg/crc32';

describe('CRC-32', () => {
  it('the native and the table CRC agree on known values, random data and incremental use', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926); // the standard check value
    assert.equal(tableCrc32(Buffer.from('123456789')), 0xcbf43926);
    let state = 20261206;
    const next = (): number => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state;
    };
    for (let round = 0; round < 50; round++) {
      const data = Buffer.from(Array.from({ length: next() % 5000 }, () => next() & 0xff));
      const cut = data.length ? next() % data.length : 0;
      assert.equal(crc32(data), tableCrc32(data));
      assert.equal(crc32(data.subarray(cut), crc32(data.subarray(0, cut))), tableCrc32(data));
    }
  });
});
