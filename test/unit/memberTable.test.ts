/**
 * MemberTable: a type's members matched by their key's parts through a hash. Real assemblies
 * almost never give two keys of one type the same hash, so the shared-hash path is driven here
 * with members made to collide.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { MemberTable, type ApiMember } from '../../src/core/api/apiSurface';

/** A member with the key parts and hash given (the facts the table does not read left out). */
function member(docId: string, keyHash: number, keyName: string, keySignature = '', keyType = '', keyKind = 1): ApiMember {
  return { docId, keyHash, keyKind, keyName, keySignature, keyType } as unknown as ApiMember;
}

/** Members enough (with their own hashes) to take a table past its list-only size, so both ways of finding are driven. */
function filled(fillers: number): MemberTable {
  const table = new MemberTable();
  for (let index = 0; index < fillers; index++) {
    table.set(member(`M:T.Filler${index}`, 1000 + index, `Filler${index}`));
  }
  return table;
}

for (const fillers of [0, 20]) {
describe(`a type's member table (${fillers === 0 ? 'a few members' : 'many members'})`, () => {
  it('finds a member of another surface by equal key parts, not by identity', () => {
    const table = filled(fillers);
    const stored = member('M:T.Run(System.Int32)', 7, 'Run', '(System.Int32)', 'System.Void');
    table.set(stored);
    // Equal strings built apart, as the other surface's are.
    const probe = member('M:T.Run(System.Int32)', 7, ['R', 'un'].join(''), ['(System', '.Int32)'].join(''), 'System.Void');
    assert.equal(table.get(probe), stored);
    assert.equal(table.has(probe), true);
    assert.equal(table.get(member('M:T.Run(System.Int64)', 7, 'Run', '(System.Int64)', 'System.Void')), undefined, 'same hash, other signature');
    assert.equal(table.get(member('M:T.Run(System.Int32)', 7, 'Run', '(System.Int32)', 'System.String')), undefined, 'same hash, other return type');
    assert.equal(table.get(member('F:T.Run', 7, 'Run', '(System.Int32)', 'System.Void', 2)), undefined, 'same hash and parts, other kind');
    assert.equal(table.get(member('M:T.Run(System.Int32)', 8, 'Run', '(System.Int32)', 'System.Void')), undefined, 'other hash');
  });

  it('keeps every member whose different key shares a hash, and finds each', () => {
    const table = filled(fillers);
    const members = ['A', 'B', 'C'].map((name) => member(`M:T.${name}`, 42, name));
    members.forEach((each) => table.set(each));
    assert.equal(table.size, fillers + 3);
    assert.deepEqual(table.values().slice(fillers), members);
    for (const each of members) {
      assert.equal(table.get(member(each.docId, 42, each.keyName)), each);
    }
    assert.equal(table.get(member('M:T.D', 42, 'D')), undefined);
  });

  it('a member with a key already there takes its place, where the first one stood (as Map.set does)', () => {
    const table = filled(fillers);
    const first = member('M:T.A', 5, 'A');
    const other = member('M:T.B', 5, 'B');
    const after = member('M:T.C', 9, 'C');
    [first, other, after].forEach((each) => table.set(each));
    const replacement = member('M:T.A', 5, 'A');
    table.set(replacement);
    assert.equal(table.size, fillers + 3);
    assert.deepEqual(table.values().slice(fillers), [replacement, other, after]);
    assert.equal(table.get(member('M:T.A', 5, 'A')), replacement);
    assert.equal(table.get(member('M:T.B', 5, 'B')), other);
    // The same with no shared hash.
    const alone = member('M:T.C', 9, 'C');
    table.set(alone);
    assert.deepEqual(table.values().slice(fillers), [replacement, other, alone]);
  });
});
}
