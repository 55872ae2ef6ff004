import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseServerState, statusView } from '../common/status';

test('the four server states are understood', () => {
    for (const state of ['checking', 'fixing', 'idle', 'error']) {
        assert.deepEqual(parseServerState({ state, message: 'm' }), { state, message: 'm' });
    }
});

test('unknown or malformed notifications are ignored', () => {
    assert.equal(parseServerState({ state: 'dreaming' }), undefined);
    assert.equal(parseServerState(null), undefined);
    assert.equal(parseServerState('idle'), undefined);
    assert.deepEqual(parseServerState({ state: 'idle', message: 42 }), { state: 'idle', message: '' });
});

test('the item says the state, and the message in its tooltip', () => {
    const checking = statusView('checking', 'cargo check in crates/app');
    assert.match(checking.text, /sleepy: checking/);
    assert.match(checking.tooltip, /cargo check in crates\/app/);
    assert.equal(checking.isError, false);
    assert.match(statusView('idle').text, /sleepy$/);
    assert.equal(statusView('error', 'cargo not found').isError, true);
    assert.equal(statusView('notInstalled').isWarning, true);
    assert.match(statusView('untrusted').tooltip, /trust/);
});
