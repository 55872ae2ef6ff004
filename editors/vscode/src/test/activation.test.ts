/**
 * Activates the compiled extension against a stub of the `vscode` module:
 * the commands are registered, an untrusted workspace starts nothing and says
 * why, and an interpreter without sleepy-coder is reported with the command
 * that installs it. (Starting a real server needs VS Code itself.)
 */

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, before, test } from 'node:test';
import { installVscodeStub, resetStub, stub } from './vscodeStub';

installVscodeStub();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const extension = require('../extension') as typeof import('../extension');

const context = () =>
    ({ subscriptions: [] as { dispose(): unknown }[], extension: { packageJSON: { version: '0.0.0-test' } } }) as never;

async function until(condition: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!condition()) {
        if (Date.now() > deadline) {
            assert.fail(`timed out waiting for ${what}; status: ${stub.statusText}; messages: ${JSON.stringify(stub.messages)}`);
        }
        await new Promise((r) => setTimeout(r, 10));
    }
}

let scratch: string;
before(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sleepy-vscode-'));
});

afterEach(async () => {
    await extension.deactivate();
});

test('activation registers the four commands', async () => {
    resetStub({ trusted: false });
    await extension.activate(context());
    assert.deepEqual(
        [...stub.commands.keys()].sort(),
        ['sleepy.rejectLastFix', 'sleepy.restart', 'sleepy.showLog', 'sleepy.showStats'],
    );
});

test('an untrusted workspace starts nothing and tells the user why', async () => {
    const marker = path.join(scratch, 'ran');
    const python = path.join(scratch, 'python-untrusted');
    fs.writeFileSync(python, `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
    resetStub({ trusted: false, config: { 'sleepy.interpreter': python } });
    await extension.activate(context());
    await until(() => /restricted/.test(stub.statusText), 'the restricted status');
    assert.ok(stub.messages.some((m) => /not trusted/.test(m.text) && /build scripts/.test(m.text)));
    await stub.commands.get('sleepy.showStats')!();
    assert.equal(fs.existsSync(marker), false, 'no process runs in an untrusted workspace');
});

test('an interpreter without sleepy-coder is reported with the install command', { skip: process.platform === 'win32' }, async () => {
    const python = path.join(scratch, 'python-without-sleepy');
    fs.writeFileSync(
        python,
        "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'sleepy_lsp'\" >&2\nexit 1\n",
        { mode: 0o755 },
    );
    resetStub({ config: { 'sleepy.interpreter': python }, workspaceFolder: scratch });
    await extension.activate(context());
    await until(() => stub.messages.length > 0, 'an error message');
    const [error] = stub.messages;
    assert.equal(error.level, 'error');
    assert.ok(error.text.includes(`${python} -m pip install /path/to/sleepy-coder`), error.text);
    assert.ok(error.items.includes('Copy Install Command'));
    assert.match(stub.statusText, /not installed/);

    // A second automatic restart does not repeat the popup; the status bar keeps saying it.
    await Promise.all(stub.configListeners.map((l) => l({ affectsConfiguration: (s: string) => s === 'sleepy.interpreter' })));
    assert.equal(stub.messages.length, 1);

    // Rejecting a fix with no server running says so instead of failing.
    await stub.commands.get('sleepy.rejectLastFix')!();
    assert.ok(stub.messages.some((m) => m.level === 'warning' && /not running/.test(m.text)));
});
