/** Extension-host tests: run inside a real VS Code (code-server 1.100.3, or desktop via test-electron). */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { InspectorModel, InspectorVerification, ToWebview } from '../../src/shared/protocol';
import { withEnv } from '../helpers/env';
import { makeSigningFixture } from '../helpers/signingFixtures';
import { answerWith, dismissEverything, EXTENSION_ID, closeWebviews, openWebviewUntil, waitFor, workspaceFile } from './helpers';

let api: ExtensionApi;

/**
 * Opens a package in the inspector and waits for the message the webview shows (it is posted only
 * after the webview's "ready" handshake, so it proves the webview loaded). See openWebviewUntil
 * for the code-server service-worker quirk and its visible, counted retry.
 */
async function openInInspector(uri: vscode.Uri, type: 'inspection' | 'error'): Promise<ToWebview> {
  return openWebviewUntil(api, () => `the ${type} of ${uri.path} to reach the webview (last message posted: ${api.inspectorMessages.get(uri.toString())?.type ?? 'none'}; live webview panels: ${api.liveWebviews()})`,
    () => vscode.commands.executeCommand('vscode.openWith', uri, 'nugetPublisher.packageInspector'),
    () => {
      const posted = api.inspectorMessages.get(uri.toString());
      return posted?.type === type ? posted : undefined;
    });
}

async function closeEditors(): Promise<void> {
  await closeWebviews(api);
}

suite('NuGet Publisher in a real VS Code', () => {
  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    api = await extension.activate();
    assert.ok(api, 'activate() returned the API (activation did not fail)');
  });

  teardown(closeEditors);

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
    // The model is posted only after the webview's "ready" handshake: this proves the webview loaded.
    const message = await openInInspector(uri, 'inspection');
    assert.equal(message.type, 'inspection');
    const model: InspectorModel = message.model;
    assert.equal(model.metadata.id, 'Contoso.Utils');
    assert.equal(model.metadata.version, '1.2.3-beta.1+build.5');
    assert.equal(model.normalizedVersion, '1.2.3-beta.1');
    assert.deepEqual(model.metadata.dependencyGroups[0].dependencies.map((d) => d.id), ['Contoso.Core']);
    assert.ok(model.iconDataUri?.startsWith('data:image/png;base64,'));
    assert.match(model.readmeMarkdown ?? '', /Contoso\.Utils/);
    // NP0100: packed without symbols (no IncludeSymbols, no embedded PDB).
    assert.deepEqual(model.diagnostics.map((d) => d.code), ['NP0014', 'NP0100']);
    // Health, read on the worker thread: the one assembly, no symbols anywhere.
    assert.deepEqual(model.health?.map(({ pdb, sourceLink }) => ({ pdb, sourceLink })), [{ pdb: 'none', sourceLink: false }]);
    assert.ok((api.analysisThreadId() ?? 0) > 0, `health read on thread ${api.analysisThreadId()}`);
    // The assembly's own metadata: its name, version and the framework it was built for.
    const assembly = model.assemblies?.find((candidate) => candidate.path.endsWith('/Contoso.Utils.dll'));
    assert.ok(assembly && assembly.name === 'Contoso.Utils' && assembly.version === '1.2.3.0' && /^\.NETCoreApp,Version=v\d+\.0$/.test(assembly.targetFramework ?? '') && !assembly.referenceAssembly, JSON.stringify(model.assemblies));
    assert.deepEqual([model.signatures, model.signedContent], [[], 'unsigned']);
    const problems = await waitFor('Problems entries for the package', () => {
      const entries = vscode.languages.getDiagnostics(uri);
      return entries.length > 0 ? entries : undefined;
    });
    assert.deepEqual(problems.map((p) => [p.code, p.severity]), [['NP0014', vscode.DiagnosticSeverity.Information], ['NP0100', vscode.DiagnosticSeverity.Information]]);
  });

  for (const [file, code] of [['Traversal.1.0.0.nupkg', 'NP0906'], ['Bomb.1.0.0.nupkg', 'NP0909'], ['NotAZip.1.0.0.nupkg', 'NP0901']] as const) {
    test(`shows a clear error for hostile/${file} in the editor and the Problems panel (${code})`, async () => {
      const uri = workspaceFile('hostile', file);
      const message = await openInInspector(uri, 'error');
      assert.equal(message.type, 'error');
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
    // NP0053 (no readme) has no element of its own: it underlines the <metadata> start tag only.
    const readme = vscode.languages.getDiagnostics(uri).find((d) => d.code === 'NP0053')!;
    assert.equal(document.getText(readme.range), '<metadata>', `NP0053 underlines ${JSON.stringify(document.getText(readme.range))}`);

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
    // Put the shared fixture back: revert acts on the active editor, so make it this one, and wait
    // until the document is clean (under load the revert once missed it, the edited file was saved,
    // and a later test packed "1.0.beta").
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor('the edited nuspec reverted', () => !document.isDirty && document.getText() === readFileSync(uri.fsPath, 'utf8'));
    assert.match(readFileSync(uri.fsPath, 'utf8'), /<version>1\.0\.0<\/version>/);
  });

  test('Show nuspec opens the package\'s nuspec as a read-only document named like the file, never an unsaved Untitled one', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('nugetPublisher.showNuspec', workspaceFile('packages', 'Contoso.Core.2.0.0.nupkg'));
    const { document } = editor;
    assert.equal(document.uri.scheme, 'nupkg');
    // The path names the package, so two versions' entries never look like one folder's.
    assert.equal(document.uri.path, '/Contoso.Core.2.0.0.nupkg/Contoso.Core.nuspec');
    assert.equal(document.isUntitled, false, 'not an Untitled document');
    assert.equal(document.isDirty, false, 'not dirty');
    assert.equal(document.languageId, 'xml');
    assert.match(document.getText(), /<id>Contoso\.Core<\/id>/);
    const tab = vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((candidate) => candidate.input instanceof vscode.TabInputText && candidate.input.uri.toString() === document.uri.toString());
    assert.equal(tab?.label, 'Contoso.Core.nuspec');
    // Read-only: the package file system refuses every write (the editor shows it read-only, so
    // nothing can be typed and closing never asks to save).
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(document.uri, Buffer.from('x'))), (error: vscode.FileSystemError) => error.code === 'NoPermissions');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.delete(document.uri)), (error: vscode.FileSystemError) => error.code === 'NoPermissions');
    assert.deepEqual((await vscode.workspace.fs.stat(document.uri)).permissions, vscode.FilePermission.Readonly);
    // The package as a folder: its root lists the nuspec and the lib folder.
    const root = await vscode.workspace.fs.readDirectory(document.uri.with({ path: '/Contoso.Core.2.0.0.nupkg' }));
    assert.ok(root.some(([name, type]) => name === 'Contoso.Core.nuspec' && type === vscode.FileType.File), JSON.stringify(root));
    assert.ok(root.some(([name, type]) => name === 'lib' && type === vscode.FileType.Directory), JSON.stringify(root));
  });

  test('the inspector\'s file tree opens a text entry read-only in a tab, and refuses a binary one with its size and SHA-256', async () => {
    const pkg = workspaceFile('packages', 'Contoso.Core.2.0.0.nupkg');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('nugetPublisher.openPackageEntry', pkg, 'lib/net10.0/Contoso.Core.xml');
    assert.equal(editor.document.uri.scheme, 'nupkg');
    assert.equal(editor.document.uri.path, '/Contoso.Core.2.0.0.nupkg/lib/net10.0/Contoso.Core.xml');
    assert.equal(editor.document.languageId, 'xml', 'coloured by its extension');
    assert.match(editor.document.getText(), /<doc>/);
    const mark = api.shownMessages.length;
    assert.equal(await vscode.commands.executeCommand('nugetPublisher.openPackageEntry', pkg, 'lib/net10.0/Contoso.Core.dll'), undefined);
    const dll = await vscode.workspace.fs.readFile(editor.document.uri.with({ path: '/Contoso.Core.2.0.0.nupkg/lib/net10.0/Contoso.Core.dll' }));
    const sha = createHash('sha256').update(dll).digest('hex').toUpperCase();
    assert.ok(api.shownMessages.slice(mark).includes(`info: lib/net10.0/Contoso.Core.dll is a binary file (${dll.length.toLocaleString('en-US')} bytes, SHA-256 ${sha}): not opened as text.`), api.shownMessages.slice(mark).join('\n'));
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(editor.document.uri.with({ path: '/Contoso.Core.2.0.0.nupkg/lib/missing.dll' }))), (error: vscode.FileSystemError) => error.code === 'FileNotFound');
  });

  test('Open Package as Folder: the Package Contents view shows it read-only, the window and its workspace stay; every write refused', async () => {
    const folders = vscode.workspace.workspaceFolders?.map((folder) => folder.uri.toString());
    const pkg = workspaceFile('packages', 'Contoso.Core.2.0.0.nupkg');
    assert.equal(await vscode.commands.executeCommand('nugetPublisher.openPackageAsFolder', pkg), true);
    // No workspace folder was added, so VS Code did not reload the window (the old way closed the tabs).
    assert.deepEqual(vscode.workspace.workspaceFolders?.map((folder) => folder.uri.toString()), folders);
    const view = api.packageContents()!;
    assert.deepEqual(view.list().map((uri) => uri.toString()), [pkg.toString()]);
    const [packageNode] = await view.getChildren();
    assert.equal(view.getTreeItem(packageNode).label, 'Contoso.Core.2.0.0.nupkg');
    const top = await view.getChildren(packageNode);
    assert.deepEqual(top.map((node) => view.getTreeItem(node).label).filter((label) => label === 'lib' || String(label).endsWith('.nuspec')), ['lib', 'Contoso.Core.nuspec']);
    const root = packageNode.uri;
    assert.equal(root.path, '/Contoso.Core.2.0.0.nupkg');
    const lib = await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(root, 'lib', 'net10.0'));
    assert.ok(lib.some(([name]) => name === 'Contoso.Core.dll'));
    const stat = await vscode.workspace.fs.stat(vscode.Uri.joinPath(root, 'lib', 'net10.0', 'Contoso.Core.xml'));
    assert.equal(stat.type, vscode.FileType.File);
    assert.equal(stat.permissions, vscode.FilePermission.Readonly);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root, 'new.txt'), new Uint8Array([1]))), (error: vscode.FileSystemError) => error.code === 'NoPermissions');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.delete(vscode.Uri.joinPath(root, 'lib'), { recursive: true })), (error: vscode.FileSystemError) => error.code === 'NoPermissions');
    // A second package has its own root: entries of two packages never share a path.
    await vscode.commands.executeCommand('nugetPublisher.openPackageAsFolder', workspaceFile('packages', 'Contoso.Utils.1.2.3-beta.1.nupkg'));
    assert.deepEqual((await view.getChildren()).map((node) => node.uri.path), ['/Contoso.Utils.1.2.3-beta.1.nupkg', '/Contoso.Core.2.0.0.nupkg']);
    await vscode.commands.executeCommand('nugetPublisher.closePackageContents', packageNode);
    assert.deepEqual(view.list().map((uri) => uri.toString()), [workspaceFile('packages', 'Contoso.Utils.1.2.3-beta.1.nupkg').toString()]);
  });

  test('Sign Package… signs with a certificate file (password never logged), the inspector shows the signature, Verify Signature runs NuGet\'s check', async function () {
    this.timeout(180_000);
    const fixture = makeSigningFixture();
    // dotnet from the SDK view that trusts the test root (the commands run `dotnet` from PATH).
    await withEnv({ PATH: `${fixture.dotnetFolder}${delimiter}${process.env.PATH}` }, async () => {
      const folder = mkdtempSync(join(tmpdir(), 'np-sign-'));
      const pkg = vscode.Uri.file(join(folder, 'Contoso.Core.2.0.0.nupkg'));
      copyFileSync(workspaceFile('packages', 'Contoso.Core.2.0.0.nupkg').fsPath, pkg.fsPath);
      const before = await openInInspector(pkg, 'inspection');
      assert.ok(before.type === 'inspection' && before.model.signatures.length === 0 && before.model.signedContent === 'unsigned');

      // Unsigned: NuGet's verification fails with NU3004, in the inspector and the Problems panel.
      const unsigned = await vscode.commands.executeCommand<InspectorVerification>('nugetPublisher.verifySignature', pkg);
      assert.equal(unsigned?.ok, false);
      assert.ok(unsigned.lines.some((line) => /^error NU3004: The package is not signed/.test(line)), unsigned.lines.join('\n'));
      assert.ok(vscode.languages.getDiagnostics(pkg).some((d) => d.code === 'NU3004' && d.severity === vscode.DiagnosticSeverity.Error));

      // A wrong password: refused by dotnet, said plainly, and neither password is anywhere.
      // The password is typed into the password box (no command argument carries a secret).
      answerWith(api, { secret: 'wrong password 123' });
      assert.equal(await vscode.commands.executeCommand('nugetPublisher.signPackage', pkg, { certificatePath: fixture.pfx }), false);
      assert.equal(api.askedQuestions.at(-1)?.kind, 'secret');
      assert.ok(api.shownMessages.some((message) => /Signing Contoso\.Core\.2\.0\.0\.nupkg failed: NU3001/.test(message)), api.shownMessages.slice(-3).join('\n'));

      answerWith(api, { secret: fixture.password });
      assert.equal(await vscode.commands.executeCommand('nugetPublisher.signPackage', pkg, { certificatePath: fixture.pfx }), true);
      dismissEverything(api);
      const signed = await waitFor('the inspector to show the new signature', () => {
        const posted = api.inspectorMessages.get(pkg.toString());
        return posted?.type === 'inspection' && posted.model.signatures.length > 0 ? posted.model : undefined;
      });
      assert.deepEqual(signed.signatures.map((signature) => [signature.type, signature.subject, signature.sha256, signature.timestamp]), [['author', fixture.subject, fixture.sha256, undefined]]);
      assert.equal(signed.signedContent, 'matches');

      const verified = await vscode.commands.executeCommand<InspectorVerification>('nugetPublisher.verifySignature', pkg);
      assert.equal(verified?.ok, true, verified?.lines.join('\n'));
      assert.ok(verified.lines.some((line) => /^warning NU3027: The signature should be timestamped/.test(line)), verified.lines.join('\n'));
      const shown = await waitFor('the verification in the inspector', () => {
        const posted = api.inspectorMessages.get(pkg.toString());
        return posted?.type === 'inspection' && posted.model.verification?.ok ? posted.model.verification : undefined;
      });
      assert.deepEqual(shown.lines, verified.lines);
      assert.ok(vscode.languages.getDiagnostics(pkg).some((d) => d.code === 'NU3027' && d.severity === vscode.DiagnosticSeverity.Warning));
      for (const surface of [api.log.recent().join('\n'), api.shownMessages.join('\n')]) {
        assert.ok(!surface.includes(fixture.password) && !surface.includes('wrong password 123'), 'no password in the log or a message');
      }
    }).finally(() => fixture.remove());
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

suite('Packing in a real VS Code', () => {
  suiteSetup(async () => {
    api = await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.activate();
  });

  teardown(closeEditors);

  test('packs an SDK project through a dotnet pack task', async function () {
    this.timeout(240_000);
    const project = workspaceFile('src', 'Contoso.Core', 'Contoso.Core.csproj');
    const output = workspaceFile('out', 'pack-project');
    const outcome = await vscode.commands.executeCommand<{ packages: string[] } | undefined>('nugetPublisher.packProject', project, { quiet: true, configuration: 'Release', outputDir: output.fsPath, symbols: true });
    assert.ok(outcome, 'the command returned an outcome');
    assert.deepEqual(outcome.packages.map((path) => path.slice(output.fsPath.length + 1)).sort(), ['Contoso.Core.2.0.0.nupkg', 'Contoso.Core.2.0.0.snupkg']);
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(output, 'Contoso.Core.2.0.0.nupkg'));
    assert.equal(bytes[0], 0x50, 'a zip file');
  });

  test('a build error from dotnet pack lands in the Problems panel', async function () {
    this.timeout(240_000);
    const folder = workspaceFile('src', 'Broken');
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'Broken.csproj'), Buffer.from('<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net$(BundledNETCoreAppTargetFrameworkVersion)</TargetFramework></PropertyGroup></Project>'));
    const source = vscode.Uri.joinPath(folder, 'Bad.cs');
    await vscode.workspace.fs.writeFile(source, Buffer.from('namespace Broken;\npublic class Bad {\n  public int X => "not an int";\n}\n'));
    const outcome = await vscode.commands.executeCommand<{ packages: string[] } | undefined>('nugetPublisher.packProject', vscode.Uri.joinPath(folder, 'Broken.csproj'), { quiet: true, outputDir: workspaceFile('out', 'broken').fsPath });
    assert.deepEqual(outcome?.packages, []);
    const problems = await waitFor('the compiler error in the Problems panel', () => {
      const entries = vscode.languages.getDiagnostics().flatMap(([uri, list]) => list.map((d) => ({ uri, d }))).filter(({ uri }) => uri.path.endsWith('/Bad.cs'));
      return entries.length > 0 ? entries : undefined;
    });
    assert.ok(problems.some(({ d }) => d.severity === vscode.DiagnosticSeverity.Error && /CS0029/.test(`${typeof d.code === 'object' ? d.code.value : d.code ?? ''} ${d.message}`)), JSON.stringify(problems.map(({ d }) => [d.code, d.message])));
  });

  test('packs a .nuspec natively and the result opens in the inspector', async function () {
    this.timeout(60_000);
    const output = workspaceFile('out', 'pack-nuspec');
    const result = await vscode.commands.executeCommand<{ packagePath: string } | undefined>('nugetPublisher.packNuspec', workspaceFile('nuspec', 'Contoso.Sample.nuspec'), { quiet: true, outputDir: output.fsPath });
    // No result: the command failed (its error is in the log) or the workspace read as untrusted.
    assert.ok(result, `no package; workspace trusted: ${vscode.workspace.isTrusted}; log tail:\n${api.log.recent().slice(-15).join('\n')}`);
    assert.equal(result.packagePath, vscode.Uri.joinPath(output, 'Contoso.Sample.1.0.0.nupkg').fsPath);
    const message = await openInInspector(vscode.Uri.file(result.packagePath), 'inspection');
    assert.equal(message.type, 'inspection');
    assert.equal(message.model.metadata.id, 'Contoso.Sample');
  });
});
