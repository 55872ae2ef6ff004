import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RestartGuard } from '../common/restartGuard';

function deferred(): { promise: Promise<void>; resolve: () => void } {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
}

test('requests during a restart fold into one more restart', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const gates = [deferred(), deferred()];
    const guard = new RestartGuard(async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await gates[runs++].promise;
        running -= 1;
    });
    const first = guard.run();
    const second = guard.run();
    const third = guard.run();
    assert.equal(guard.busy, true);
    gates[0].resolve();
    gates[1].resolve();
    await Promise.all([first, second, third]);
    assert.equal(runs, 2);
    assert.equal(maxRunning, 1);
    assert.equal(guard.busy, false);
});

test('a request after the last restart finished starts a new one', async () => {
    let runs = 0;
    const guard = new RestartGuard(async () => {
        runs += 1;
    });
    await guard.run();
    await guard.run();
    assert.equal(runs, 2);
});

test('a failing restart is reported and does not wedge the guard', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const guard = new RestartGuard(
        async () => {
            runs += 1;
            if (runs === 1) {
                throw new Error('no python');
            }
        },
        (error) => errors.push(error),
    );
    await guard.run();
    await guard.run();
    assert.equal(runs, 2);
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /no python/);
});
