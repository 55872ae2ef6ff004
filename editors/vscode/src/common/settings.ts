/**
 * The `sleepy.*` settings and how they reach the server.
 *
 * The server's schema is the dataclass in sleepy_lsp/server/settings.py; package.json
 * declares the same keys with the same defaults, and
 * tests/test_settings_schema.py checks that they agree. The server gets the
 * settings as `initializationOptions` and again, on every change, through
 * `workspace/didChangeConfiguration` as `{settings: {sleepy: {...}}}`. Dotted
 * keys become nested objects (`telemetry.enabled` -> `{telemetry: {enabled}}`),
 * which is the shape VS Code's own configuration has and the server flattens.
 *
 * Nothing here imports VS Code: the configuration arrives as anything with a
 * `get(key)` method.
 */

import { SECTION } from './constants';

/** Keys under `sleepy.` that the server reads, in the order of sleepy_lsp/server/settings.py. */
export const SERVER_SETTING_KEYS = [
    'backend',
    'modelPath',
    'adaptersDir',
    'strategy',
    'maxCandidates',
    'verify',
    'tests.enabled',
    'tests.budget',
    'telemetry.enabled',
    'publishDiagnostics',
    'databasePath',
    'trust',
    'cargo.path',
    'cargo.extraArgs',
    'cargo.allowFetch',
] as const;

/**
 * Keys under `sleepy.` that only the editor reads; they are never sent to the
 * server. (`trace.server` is read by vscode-languageclient itself, which looks
 * up `<client id>.trace.server`.)
 */
export const CLIENT_SETTING_KEYS = ['interpreter', 'trace.server'] as const;

export type ServerSettingKey = (typeof SERVER_SETTING_KEYS)[number];

/** What the extension needs from a `WorkspaceConfiguration`. */
export interface ConfigurationLike {
    get<T>(key: string): T | undefined;
}

/** The settings object the server receives (nested, camelCase). */
export type ServerSettings = { [key: string]: unknown };

/**
 * The server's settings from the `sleepy` configuration section.
 *
 * Keys the configuration has no value for are left out, so the server keeps
 * its own defaults for them.
 */
export function toServerSettings(config: ConfigurationLike): ServerSettings {
    const settings: ServerSettings = {};
    for (const key of SERVER_SETTING_KEYS) {
        const value = config.get<unknown>(key);
        if (value === undefined) {
            continue;
        }
        setPath(settings, key.split('.'), Array.isArray(value) ? [...value] : value);
    }
    return settings;
}

/** The params of `workspace/didChangeConfiguration` for these settings. */
export function didChangeConfigurationParams(settings: ServerSettings): { settings: { [SECTION]: ServerSettings } } {
    return { settings: { [SECTION]: settings } };
}

/** What a configuration change asks of the extension. */
export interface SettingsChange {
    /** The interpreter changed: the server must be started again with the new one. */
    restart: boolean;
    /** A server setting changed: send the new settings. */
    notifyServer: boolean;
}

/**
 * Classifies a configuration change.
 *
 * Args:
 *   affects: `ConfigurationChangeEvent.affectsConfiguration`, or a stand-in.
 */
export function classifyChange(affects: (section: string) => boolean): SettingsChange {
    return {
        restart: affects(`${SECTION}.interpreter`),
        notifyServer: SERVER_SETTING_KEYS.some((key) => affects(`${SECTION}.${key}`)),
    };
}

function setPath(target: ServerSettings, path: string[], value: unknown): void {
    let node = target;
    for (const part of path.slice(0, -1)) {
        const child = node[part];
        if (typeof child !== 'object' || child === null || Array.isArray(child)) {
            node[part] = {};
        }
        node = node[part] as ServerSettings;
    }
    node[path[path.length - 1]] = value;
}
