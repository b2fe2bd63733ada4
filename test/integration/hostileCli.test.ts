/** The CLI's answer to hostile packages: exit 2 and one line "NPxxxx: cause fix" on stderr, nothing on stdout. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli';
import { CASES } from '../helpers/hostileCases';
import { writeTemp } from '../helpers/temp';

describe('hostile packages through the CLI', () => {
  for (const testCase of CASES) {
    it(`${testCase.name}: exit 2 with one line`, async () => {
      const path = writeTemp('hostile.nupkg', await testCase.file());
      const cli = runCli(['inspect', path, '--json']);
      assert.equal(cli.status, 2, cli.stderr);
      assert.equal(cli.stdout, '');
      const lines = cli.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, `one line: ${cli.stderr}`);
      assert.match(lines[0], new RegExp(`^${testCase.code}: `));
    });
  }

  it('a missing file and a folder are clear errors too', () => {
    const missing = runCli(['inspect', '/nonexistent/x.nupkg']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^NP0900: .*does not exist/);
    const folder = runCli(['inspect', '/tmp']);
    assert.equal(folder.status, 2);
    assert.match(folder.stderr, /^NP090\d: /);
  });
});
