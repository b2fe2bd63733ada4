/** Extension-host tests: run inside a real VS Code (code-server 1.100.3, or desktop via test-electron). */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { InspectorModel } from '../../src/shared/protocol';

const EXTENSION_ID = 'nuget-publisher.nuget-publisher';

function workspaceFile(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the sample workspace open');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

async function waitFor<T>(what: string | (() => string), probe: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let api: ExtensionApi;

suite('NuGet Publisher in a real VS Code', () => {
  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    api = await extension.activate();
    assert.ok(api, 'activate() returned the API (activation did not fail)');
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // VS Code (web) can leave a custom editor's webview blank when it opens in the same moment
    // the previous webview editor closes; a person never clicks that fast. Let the close settle.
    await waitFor('all editors closed', () => vscode.window.tabGroups.all.every((group) => group.tabs.length === 0));
    await new Promise((resolve) => setTimeout(resolve, 1000));
  });

  test('registers exactly the commands package.json contributes, each with category NuGet', async () => {
    const manifest = JSON.parse(readFileSync(join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'package.json'), 'utf8')) as {
      contributes: { commands: { command: string; category: string }[] };
    };
    const contributed = manifest.contributes.commands.map((command) => command.command).sort();
    assert.deepEqual([...api.commandIds].sort(), contributed);
    assert.ok(manifest.contributes.commands.every((command) => command.category === 'NuGet'));
    const registered = await vscode.commands.getCommands(true);
    for (const id of contributed) {
      assert.ok(registered.includes(id), `${id} is registered`);
    }
  });

  test('opens a dotnet-packed .nupkg in the inspector with its metadata, dependencies and checks', async () => {
    const uri = workspaceFile('packages', 'Contoso.Utils.1.2.3-beta.1.nupkg');
    await vscode.commands.executeCommand('vscode.openWith', uri, 'nugetPublisher.packageInspector');
    // The model is posted only after the webview's "ready" handshake: this proves the webview loaded.
    const message = await waitFor('the inspection to reach the webview', () => {
      const posted = api.inspectorMessages.get(uri.toString());
      return posted?.type === 'inspection' ? posted : undefined;
    });
    const model: InspectorModel = message.model;
    assert.equal(model.metadata.id, 'Contoso.Utils');
    assert.equal(model.metadata.version, '1.2.3-beta.1+build.5');
    assert.equal(model.normalizedVersion, '1.2.3-beta.1');
    assert.deepEqual(model.metadata.dependencyGroups[0].dependencies.map((d) => d.id), ['Contoso.Core']);
    assert.ok(model.iconDataUri?.startsWith('data:image/png;base64,'));
    assert.match(model.readmeMarkdown ?? '', /Contoso\.Utils/);
    assert.deepEqual(model.diagnostics.map((d) => d.code), ['NP0014']);
    const problems = await waitFor('Problems entries for the package', () => {
      const entries = vscode.languages.getDiagnostics(uri);
      return entries.length > 0 ? entries : undefined;
    });
    assert.deepEqual(problems.map((p) => [p.code, p.severity]), [['NP0014', vscode.DiagnosticSeverity.Information]]);
  });

  for (const [file, code] of [['Traversal.1.0.0.nupkg', 'NP0906'], ['Bomb.1.0.0.nupkg', 'NP0909'], ['NotAZip.1.0.0.nupkg', 'NP0901']] as const) {
    test(`shows a clear error for hostile/${file} in the editor and the Problems panel (${code})`, async () => {
      const uri = workspaceFile('hostile', file);
      await vscode.commands.executeCommand('vscode.openWith', uri, 'nugetPublisher.packageInspector');
      const message = await waitFor(() => `the error to reach the webview (last: ${JSON.stringify(api.inspectorMessages.get(uri.toString()))}, active tab: ${vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? 'none'})`, () => {
        const posted = api.inspectorMessages.get(uri.toString());
        return posted?.type === 'error' ? posted : undefined;
      });
      assert.equal(message.code, code);
      assert.ok(message.message.length > 20);
      const problems = vscode.languages.getDiagnostics(uri);
      assert.equal(problems.length, 1);
      assert.equal(problems[0].code, code);
      assert.equal(problems[0].severity, vscode.DiagnosticSeverity.Error);
    });
  }

  test('checks an open .nuspec live, updates as the user types, and quick-fixes licenseUrl', async () => {
    const uri = workspaceFile('nuspec', 'Contoso.Sample.nuspec');
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    const codesNow = (): string[] => vscode.languages.getDiagnostics(uri).map((d) => String(d.code)).sort();
    await waitFor('the first check', () => codesNow().includes('NP0030'));
    assert.deepEqual(codesNow(), ['NP0040', 'NP0053'].concat(['NP0030']).sort());
    const licenseLine = vscode.languages.getDiagnostics(uri).find((d) => d.code === 'NP0030')!;
    assert.equal(document.lineAt(licenseLine.range.start.line).text.trim(), '<licenseUrl>https://licenses.nuget.org/MIT</licenseUrl>');

    // Typing a bad version adds NP0011 within the debounce.
    const version = document.getText().indexOf('1.0.0</version>');
    await editor.edit((edit) => edit.replace(new vscode.Range(document.positionAt(version), document.positionAt(version + 5)), '1.0.beta'));
    await waitFor('NP0011 after typing', () => codesNow().includes('NP0011'));

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, licenseLine.range);
    const fix = actions.find((action) => action.title.startsWith('Replace licenseUrl'));
    assert.ok(fix?.edit, `a quick fix is offered (got ${actions.map((a) => a.title).join(', ')})`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(document.getText(), /<license type="expression">MIT<\/license>/);
    await waitFor('NP0030 gone after the fix', () => !codesNow().includes('NP0030'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('a malformed .nuspec gets one error at the line of the problem', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'xml', content: '' });
    assert.ok(document);
    const uri = workspaceFile('nuspec', 'Broken.nuspec');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('<?xml version="1.0"?>\n<package>\n  <metadata>\n    <id>x</idd>\n  </metadata>\n</package>\n'));
    await vscode.window.showTextDocument(uri);
    const problems = await waitFor('the parse error', () => {
      const entries = vscode.languages.getDiagnostics(uri);
      return entries.length > 0 ? entries : undefined;
    });
    assert.equal(problems.length, 1);
    assert.equal(problems[0].code, 'NP0923');
    assert.equal(problems[0].range.start.line, 3);
  });
});
