// Lint: typescript-eslint recommended, plus the layering rule — src/core and src/shared never
// import 'vscode' (the core is shared with the CLI and tested in plain Node).
import tseslint from 'typescript-eslint';

const VSCODE = { name: 'vscode', message: 'src/core, src/shared, src/cli and the webviews must not import vscode: put VS Code code in src/vscode.' };
// One network door: every request goes through src/core/http (proxy, certificates, credential
// origins, user agent, deadlines, body caps). Nothing else imports a network module.
const NETWORK = ['undici', 'node:http', 'node:https', 'http', 'https', 'node:net', 'net', 'node:tls', 'tls', 'node:http2', 'http2', 'node:dgram', 'dgram']
  .map((name) => ({ name, message: 'Requests go through src/core/http (boundedFetch, downloadTo, upload, network.ts): no other module imports a network API.' }));
const restrict = (paths, patterns = []) => ({ 'no-restricted-imports': ['error', { paths, patterns }] });
const noVscode = restrict([VSCODE, ...NETWORK]);

// test/unit is pure: no processes, no network, no servers (those tests live in test/integration).
const pureUnit = {
  'no-restricted-imports': ['error', {
    paths: [
      { name: 'node:child_process', message: 'test/unit starts no processes: move this test to test/integration.' },
      { name: 'node:http', message: 'test/unit uses no network: move this test to test/integration.' },
      { name: 'node:https', message: 'test/unit uses no network: move this test to test/integration.' },
      { name: 'node:net', message: 'test/unit uses no network: move this test to test/integration.' },
      { name: 'undici', message: 'test/unit uses no network: move this test to test/integration.' },
      { name: 'vscode', message: 'test/unit runs in plain Node.' },
    ],
    patterns: [
      { group: ['**/servers/*'], message: 'test/unit starts no servers: move this test to test/integration.' },
      { group: ['**/helpers/cli', '**/helpers/dotnetFixtures', '**/helpers/packFixtures'], message: 'test/unit runs no CLI and no dotnet: move this test to test/integration.' },
    ],
  }],
};

// Settings are read in one place (src/vscode/config.ts): defaults and limits once, cached per change.
const settingsInConfigOnly = {
  'no-restricted-syntax': ['error', {
    selector: "MemberExpression[property.name='getConfiguration']",
    message: 'Read settings through src/vscode/config.ts (readSettings), where defaults and limits live.',
  }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-artifacts/**', '.sample/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/explicit-function-return-type': ['error', { allowExpressions: true, allowTypedFunctionExpressions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: 'error',
      'no-console': 'off',
    },
  },
  { files: ['src/**/*.ts'], ignores: ['src/core/http/**'], rules: restrict(NETWORK) },
  { files: ['src/core/**/*.ts', 'src/shared/**/*.ts', 'src/cli.ts', 'src/cli/**/*.ts'], ignores: ['src/core/http/**'], rules: noVscode },
  { files: ['src/core/http/**/*.ts'], rules: restrict([VSCODE]) },
  // The webviews reach the core only through src/shared (what runs in them is named there).
  { files: ['webview/**/*.ts'], rules: restrict([VSCODE, ...NETWORK], [{ group: ['**/src/core/**'], message: 'The webviews import the core only through src/shared (src/shared/webviewCore.ts).' }]) },
  { files: ['src/**/*.ts'], ignores: ['src/vscode/config.ts'], rules: settingsInConfigOnly },
  { files: ['test/unit/**/*.ts'], rules: pureUnit },
  // CommonJS preloads (node --require) must use require().
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
