import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { chooseInterpreter, defaultPython, expandPath } from '../common/python';

const home = '/home/ferris';
const workspaceFolder = '/work/crate';

test('the setting wins over the Python extension', () => {
    assert.deepEqual(chooseInterpreter({ configured: '/usr/bin/python3.12', pythonExtension: '/venv/bin/python' }), {
        path: '/usr/bin/python3.12',
        source: 'setting',
    });
});

test("without a setting, the Python extension's environment is used", () => {
    assert.deepEqual(chooseInterpreter({ configured: '  ', pythonExtension: '/venv/bin/python' }), {
        path: '/venv/bin/python',
        source: 'pythonExtension',
    });
});

test('without either, python3 (python on Windows)', () => {
    assert.deepEqual(chooseInterpreter({ platform: 'linux' }), { path: 'python3', source: 'default' });
    assert.deepEqual(chooseInterpreter({ configured: '', pythonExtension: '', platform: 'darwin' }), {
        path: 'python3',
        source: 'default',
    });
    assert.equal(defaultPython('win32'), 'python');
});

test('variables and ~ are expanded in the setting', () => {
    const inputs = { home, workspaceFolder, env: { PYENV_ROOT: '/opt/pyenv' } };
    assert.equal(expandPath('${workspaceFolder}/.venv/bin/python', inputs), '/work/crate/.venv/bin/python');
    assert.equal(expandPath('~/.venvs/sleepy/bin/python', inputs), '/home/ferris/.venvs/sleepy/bin/python');
    assert.equal(expandPath('${userHome}/py/bin/python', inputs), '/home/ferris/py/bin/python');
    assert.equal(expandPath('${env:PYENV_ROOT}/shims/python', inputs), '/opt/pyenv/shims/python');
    assert.equal(
        chooseInterpreter({ configured: '~/py/bin/python', home }).path,
        '/home/ferris/py/bin/python',
    );
});

test('a relative path is relative to the workspace folder; a bare name stays a name', () => {
    assert.equal(expandPath('.venv/bin/python', { workspaceFolder }), path.join(workspaceFolder, '.venv/bin/python'));
    assert.equal(expandPath('python3.12', { workspaceFolder }), 'python3.12');
});
