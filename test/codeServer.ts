/**
 * A real VS Code for tests: code-server 4.100.3 (VS Code 1.100.3, real Node extension host) on
 * 127.0.0.1, driven by Debian's Chromium through playwright-core. Both are installed by
 * scripts/setup-vscode.sh into a cache folder (see ../shared/docs/real-components.md).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CODE_SERVER_VERSION = '4.100.3';

export function cacheFolder(): string {
  return process.env.NUGET_PUBLISHER_CACHE ?? join(homedir(), '.cache', 'nuget-publisher');
}

export function codeServerFolder(): string {
  return join(cacheFolder(), `code-server-${CODE_SERVER_VERSION}`);
}

export function codeServerBinary(): string {
  const binary = join(codeServerFolder(), 'node_modules', '.bin', 'code-server');
  if (!existsSync(binary)) {
    throw new Error(`code-server is not installed at ${binary}. Run: bash scripts/setup-vscode.sh`);
  }
  return binary;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  readonly stateDir: string;
  readonly workspace: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly port?: number;
  /** Forward code-server's output to this process's stderr. */
  readonly verbose?: boolean;
  /** User settings (merged over quiet test defaults). */
  readonly settings?: Record<string, unknown>;
  /** Keep Workspace Trust on: the workspace then opens in Restricted Mode (no startup prompt). */
  readonly workspaceTrust?: boolean;
}

/** Settings for a quiet, predictable workbench: no welcome page, no tips, no update checks. */
export const TEST_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'window.commandCenter': true,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'nugetPublisher.walkthrough.openOnFirstRun': false,
  // A headless browser must not be taken for a screen reader (that opens accessibility help).
  'editor.accessibilitySupport': 'off',
};

export function writeUserSettings(stateDir: string, settings: Record<string, unknown> = {}): void {
  const folder = join(stateDir, 'ud', 'User');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'settings.json'), JSON.stringify({ ...TEST_SETTINGS, ...settings }, null, 2));
}

/** Runs code-server with the extension's extensions-dir and a fresh user-data-dir. */
export function codeServerArgs(options: { port: number; stateDir: string; workspace?: string; workspaceTrust?: boolean }): string[] {
  const args = [
    '--config', '/dev/null', '--bind-addr', `127.0.0.1:${options.port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override',
    '--extensions-dir', join(options.stateDir, 'exts'), '--user-data-dir', join(options.stateDir, 'ud'),
  ];
  return options.workspace ? [...args, options.workspace] : args;
}

export function codeServerEnv(stateDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: join(stateDir, 'config'), XDG_DATA_HOME: join(stateDir, 'data'), ...extra };
  delete env.VSCODE_IPC_HOOK_CLI;
  return env;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const port = options.port ?? (await freePort());
  for (const sub of ['exts', 'ud', 'config', 'data']) {
    mkdirSync(join(options.stateDir, sub), { recursive: true });
  }
  const trust = options.workspaceTrust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {};
  writeUserSettings(options.stateDir, { ...options.settings, ...trust });
  const child: ChildProcess = spawn(codeServerBinary(), codeServerArgs({ port, stateDir: options.stateDir, workspace: options.workspace, workspaceTrust: options.workspaceTrust }), {
    env: codeServerEnv(options.stateDir, options.env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
    if (options.verbose) {
      process.stderr.write(chunk);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`code-server exited with ${child.exitCode}:\n${output}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) {
        break;
      }
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (Date.now() >= deadline) {
    stopGroup(child);
    throw new Error(`code-server did not answer /healthz within 60 s:\n${output}`);
  }
  return {
    url,
    port,
    stop: async () => {
      const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));
      stopGroup(child);
      await exited;
    },
  };
}

function stopGroup(child: ChildProcess): void {
  if (child.pid === undefined) {
    return;
  }
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 2000).unref();
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export async function newContext(browser: Browser, colorScheme: 'light' | 'dark' = 'dark'): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme });
}
