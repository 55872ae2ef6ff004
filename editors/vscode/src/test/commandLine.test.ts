import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
    describeCommandResult,
    describeImportCheck,
    describeReviewFailure,
    formatCommandLine,
    importCheckCommandLine,
    installCommand,
    reviewCommandLine,
    SERVER_MODULE,
    serverCommandLine,
} from '../common/commandLine';
import { runProcess } from '../common/process';

const NOT_INSTALLED = "Traceback (most recent call last):\n  File \"<string>\", line 1, in <module>\nModuleNotFoundError: No module named 'sleepy_lsp'\n";

test('the server runs on stdio with the chosen interpreter', () => {
    const line = serverCommandLine('/venv/bin/python');
    assert.equal(line.command, '/venv/bin/python');
    assert.deepEqual(line.args, ['-m', 'sleepy_lsp.server']);
    assert.equal(SERVER_MODULE, 'sleepy_lsp.server');
    assert.ok(!line.args.includes('--tcp'), 'stdio is the only transport');
});

test('the import check and review use the same interpreter', () => {
    assert.deepEqual(importCheckCommandLine('python3'), { command: 'python3', args: ['-c', 'import sleepy_lsp'] });
    assert.deepEqual(reviewCommandLine('/p/python'), { command: '/p/python', args: ['-m', 'sleepy_lsp.cli', 'review'] });
    assert.deepEqual(reviewCommandLine('/p/python', '  ').args, ['-m', 'sleepy_lsp.cli', 'review']);
    assert.deepEqual(reviewCommandLine('/p/python', '/data/memory.sqlite3').args.slice(-2), ['--db', '/data/memory.sqlite3']);
});

test('the install command names the interpreter, quoted when it needs to be', () => {
    assert.equal(installCommand('/venv/bin/python'), '/venv/bin/python -m pip install /path/to/sleepy-coder');
    assert.equal(
        installCommand('/Users/me/My Envs/bin/python'),
        "'/Users/me/My Envs/bin/python' -m pip install /path/to/sleepy-coder",
    );
    assert.equal(formatCommandLine({ command: 'python3', args: ['-c', 'import x'] }), "python3 -c 'import x'");
});

test('a missing module is reported with the command that installs it', () => {
    const check = describeImportCheck('/venv/bin/python', { code: 1, stdout: '', stderr: NOT_INSTALLED });
    assert.equal(check.ok, false);
    assert.ok(!check.ok && check.reason === 'notInstalled');
    assert.ok(!check.ok && check.install === '/venv/bin/python -m pip install /path/to/sleepy-coder');
    assert.ok(!check.ok && check.message.includes('pip install /path/to/sleepy-coder'));
});

test('a missing interpreter is reported as such', () => {
    const check = describeImportCheck('python3.99', { code: null, stdout: '', stderr: '', failure: 'ENOENT' });
    assert.ok(!check.ok && check.reason === 'noInterpreter');
    assert.ok(!check.ok && check.message.includes('sleepy.interpreter'));
});

test('another failure keeps its last line', () => {
    const check = describeImportCheck('python3', { code: 1, stdout: '', stderr: 'SyntaxError: bad\n' });
    assert.ok(!check.ok && check.reason === 'failed' && check.message.includes('SyntaxError: bad'));
    assert.deepEqual(describeImportCheck('python3', { code: 0, stdout: '', stderr: '' }), { ok: true });
});

test('the import check classifies real processes', async () => {
    const node = process.execPath;
    const missing = await runProcess({ command: '/nonexistent/python', args: ['-c', 'import sleepy_lsp'] });
    assert.equal(describeImportCheck('/nonexistent/python', missing).ok, false);
    assert.equal(missing.failure, 'ENOENT');
    const fails = await runProcess({ command: node, args: ['-e', `process.stderr.write(${JSON.stringify(NOT_INSTALLED)}); process.exit(1)`] });
    const check = describeImportCheck(node, fails);
    assert.ok(!check.ok && check.reason === 'notInstalled');
    const slow = await runProcess({ command: node, args: ['-e', 'setTimeout(() => {}, 10000)'] }, { timeoutMs: 200 });
    assert.equal(slow.failure, 'timeout');
    assert.equal(describeReviewFailure(node, slow), '`sleepy review` took too long and was stopped.');
    const works = await runProcess({ command: node, args: ['-e', 'console.log("ok")'] });
    assert.deepEqual(works, { code: 0, stdout: 'ok\n', stderr: '' });
    assert.equal(describeReviewFailure(node, works), undefined);
});

test("a server command's answer becomes a sentence when it has one", () => {
    assert.equal(describeCommandResult('Rejected fix 12.'), 'Rejected fix 12.');
    assert.equal(describeCommandResult({ message: 'Rejected fix 12.', fixId: 12 }), 'Rejected fix 12.');
    assert.equal(describeCommandResult(null), undefined);
    assert.equal(describeCommandResult({ ok: true }), undefined);
});
