import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LevelledLog, parseClientLine, parseServerLine, ServerOutput } from '../common/log/serverOutput';

function recordingLog(): LevelledLog & { lines: string[] } {
    const lines: string[] = [];
    const at = (level: string) => (message: string) => lines.push(`${level}: ${message}`);
    return {
        name: 'sleepy-coder',
        lines,
        trace: at('trace'),
        debug: at('debug'),
        info: at('info'),
        warn: at('warn'),
        error: at('error'),
        append: at('append'),
        replace: at('replace'),
        clear: () => lines.push('clear'),
        show: () => lines.push('show'),
        hide: () => lines.push('hide'),
    };
}

test("the server's log lines are read with their level, without Python's timestamp", () => {
    assert.deepEqual(parseServerLine('2026-11-30 23:44:17,877 ERROR sleepy_lsp.server: `cargo` was not found'), {
        level: 'error',
        message: 'sleepy_lsp.server: `cargo` was not found',
    });
    assert.equal(parseServerLine('2026-11-30 23:44:17,877 WARNING x: y').level, 'warn');
    assert.equal(parseServerLine('2026-11-30 23:44:17,877 CRITICAL x: y').level, 'error');
    assert.deepEqual(parseServerLine('  File "server.py", line 3'), { level: undefined, message: '  File "server.py", line 3' });
});

test("the client's own lines are read with their level", () => {
    assert.deepEqual(parseClientLine('[Error - 11:44:17 PM] sleepy: cargo was not found'), {
        level: 'error',
        message: 'sleepy: cargo was not found',
    });
    assert.equal(parseClientLine('[Info  - 11:44:17 PM] sleepy: started').level, 'info');
    assert.equal(parseClientLine('[Warn  - 11:44:17 PM] x').level, 'warn');
    assert.deepEqual(parseClientLine('Connection to server got closed.'), { level: 'info', message: 'Connection to server got closed.' });
});

test('stderr in arbitrary chunks becomes one entry per line at its level, blank lines dropped', () => {
    const log = recordingLog();
    const output = new ServerOutput(log, 10_000);
    output.append('2026-11-30 23:44:17,473 INFO sleepy_lsp.server: sleepy-lsp 0.1.0\n\n2026-11-30 23:44:17,877 ERR');
    assert.deepEqual(log.lines, ['info: sleepy_lsp.server: sleepy-lsp 0.1.0']);
    output.append('OR sleepy_lsp.server: boom\nTraceback (most recent call last):\n  File "x.py", line 1\n');
    output.append('2026-11-30 23:44:18,000 DEBUG sleepy_lsp.server.flycheck: check 2\n');
    assert.deepEqual(log.lines, [
        'info: sleepy_lsp.server: sleepy-lsp 0.1.0',
        'error: sleepy_lsp.server: boom',
        'error: Traceback (most recent call last):',
        'error:   File "x.py", line 1',
        'debug: sleepy_lsp.server.flycheck: check 2',
    ]);
    output.dispose();
});

test('a crash traceback printed by Python itself is an error, and a partial last line is written on flush', () => {
    const log = recordingLog();
    const output = new ServerOutput(log, 10_000);
    output.append('2026-11-30 23:44:17,473 INFO a: b\nTraceback (most recent call last):\nValueError: bad');
    assert.deepEqual(log.lines, ['info: a: b', 'error: Traceback (most recent call last):']);
    output.appendLine('[Info  - 11:44:17 PM] Connection to server got closed.');
    assert.deepEqual(log.lines.slice(2), ['error: ValueError: bad', 'info: Connection to server got closed.']);
});

test('a partial line is written after a short wait even if nothing follows', async () => {
    const log = recordingLog();
    const output = new ServerOutput(log, 5);
    output.append('2026-11-30 23:44:17,473 WARNING a: no newline');
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.deepEqual(log.lines, ['warn: a: no newline']);
});

test('show, hide, clear and the name go to the log', () => {
    const log = recordingLog();
    const output = new ServerOutput(log);
    output.show(true);
    output.hide();
    output.clear();
    assert.equal(output.name, 'sleepy-coder');
    assert.deepEqual(log.lines, ['show', 'hide', 'clear']);
});
