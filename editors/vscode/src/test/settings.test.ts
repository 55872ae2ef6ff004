import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import {
    classifyChange,
    CLIENT_SETTING_KEYS,
    ConfigurationLike,
    didChangeConfigurationParams,
    SERVER_SETTING_KEYS,
    toServerSettings,
} from '../common/settings';

type Property = { default: unknown; type: string };
const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
const properties: Record<string, Property> = manifest.contributes.configuration.properties;

/** A configuration that answers like VS Code's does with nothing set: the manifest's defaults. */
function defaultsConfiguration(overrides: Record<string, unknown> = {}): ConfigurationLike {
    return {
        get<T>(key: string): T | undefined {
            if (key in overrides) {
                return overrides[key] as T;
            }
            return properties[`sleepy.${key}`]?.default as T | undefined;
        },
    };
}

test('package.json declares exactly the server and client settings', () => {
    const declared = Object.keys(properties).sort();
    const expected = [...SERVER_SETTING_KEYS, ...CLIENT_SETTING_KEYS].map((k) => `sleepy.${k}`).sort();
    assert.deepEqual(declared, expected);
});

test('every setting has a type, a default and a description', () => {
    for (const [key, property] of Object.entries(properties)) {
        const p = property as Property & { description?: string; markdownDescription?: string };
        assert.ok(p.type, `${key} has no type`);
        assert.ok('default' in p, `${key} has no default`);
        assert.ok(p.description || p.markdownDescription, `${key} has no description`);
    }
});

test('the defaults map to the nested settings the server expects', () => {
    assert.deepEqual(toServerSettings(defaultsConfiguration()), {
        backend: 'none',
        modelPath: '',
        adaptersDir: '',
        strategy: 'full',
        maxCandidates: 5,
        verify: true,
        tests: { enabled: true, budget: 60 },
        telemetry: { enabled: true },
        publishDiagnostics: false,
        databasePath: '',
        trust: true,
        cargo: { path: 'cargo', extraArgs: [], allowFetch: false },
    });
});

test('user values are passed through and client-only settings are not', () => {
    const settings = toServerSettings(
        defaultsConfiguration({
            interpreter: '/opt/py/bin/python',
            backend: 'llama_cpp',
            'telemetry.enabled': false,
            'cargo.extraArgs': ['--all-features'],
        }),
    );
    assert.equal(settings.backend, 'llama_cpp');
    assert.deepEqual(settings.telemetry, { enabled: false });
    assert.deepEqual(settings.cargo, { path: 'cargo', extraArgs: ['--all-features'], allowFetch: false });
    assert.ok(!('interpreter' in settings));
    assert.ok(!('trace' in settings));
});

test('settings without a value are left to the server', () => {
    const settings = toServerSettings({ get: <T>(key: string) => (key === 'verify' ? (false as T) : undefined) });
    assert.deepEqual(settings, { verify: false });
});

test('arrays are copied, so later edits to the configuration cannot change what was sent', () => {
    const extraArgs = ['--locked'];
    const settings = toServerSettings(defaultsConfiguration({ 'cargo.extraArgs': extraArgs }));
    extraArgs.push('--offline');
    assert.deepEqual((settings.cargo as { extraArgs: string[] }).extraArgs, ['--locked']);
});

test('didChangeConfiguration wraps the settings in their section', () => {
    assert.deepEqual(didChangeConfigurationParams({ verify: false }), { settings: { sleepy: { verify: false } } });
});

test('changing the interpreter restarts; changing a server setting notifies', () => {
    const only = (changed: string) => (section: string) => changed === section || changed.startsWith(`${section}.`);
    assert.deepEqual(classifyChange(only('sleepy.interpreter')), { restart: true, notifyServer: false });
    assert.deepEqual(classifyChange(only('sleepy.cargo.extraArgs')), { restart: false, notifyServer: true });
    assert.deepEqual(classifyChange(only('sleepy.telemetry.enabled')), { restart: false, notifyServer: true });
    assert.deepEqual(classifyChange(only('editor.fontSize')), { restart: false, notifyServer: false });
});
