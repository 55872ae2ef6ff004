/**
 * A stand-in for the `vscode` module, enough to activate the extension under
 * node's test runner: it records messages, commands and the status bar item,
 * and answers configuration from a map. Anything else the extension or
 * vscode-languageclient touches at load time is a do-nothing class.
 */

import Module = require('module');

type Listener = (...args: unknown[]) => unknown;

export interface StubState {
    trusted: boolean;
    config: Record<string, unknown>;
    workspaceFolder?: string;
    messages: { level: 'error' | 'warning' | 'info'; text: string; items: string[] }[];
    commands: Map<string, Listener>;
    executed: unknown[][];
    statusText: string;
    trustListeners: Listener[];
    configListeners: Listener[];
}

export const stub: StubState = {
    trusted: true,
    config: {},
    messages: [],
    commands: new Map(),
    executed: [],
    statusText: '',
    trustListeners: [],
    configListeners: [],
};

const disposable = { dispose: () => undefined };

function anything(): unknown {
    return new Proxy(class {} as unknown as Record<string | symbol, unknown>, {
        get(target: Record<string | symbol, unknown>, prop) {
            if (prop in target || typeof prop === 'symbol' || prop === 'then') {
                return target[prop];
            }
            target[prop] = anything();
            return target[prop];
        },
    });
}

function channel() {
    const lines: string[] = [];
    const log = (text: string) => lines.push(text);
    return {
        lines,
        name: 'stub',
        append: log,
        appendLine: log,
        replace: log,
        clear: () => lines.splice(0),
        show: () => undefined,
        hide: () => undefined,
        dispose: () => undefined,
        trace: log,
        debug: log,
        info: log,
        warn: log,
        error: log,
        logLevel: 0,
        onDidChangeLogLevel: () => disposable,
    };
}

function message(level: 'error' | 'warning' | 'info') {
    return (text: string, ...items: string[]) => {
        stub.messages.push({ level, text, items });
        return Promise.resolve(undefined);
    };
}

const api = {
    window: {
        createOutputChannel: () => channel(),
        createStatusBarItem: () => {
            const item = { show: () => undefined, hide: () => undefined, dispose: () => undefined } as Record<string, unknown>;
            return new Proxy(item, {
                set(target, prop, value) {
                    if (prop === 'text') {
                        stub.statusText = value as string;
                    }
                    target[prop as string] = value;
                    return true;
                },
            });
        },
        showErrorMessage: message('error'),
        showWarningMessage: message('warning'),
        showInformationMessage: message('info'),
        withProgress: (_options: unknown, task: () => Promise<unknown>) => task(),
    },
    workspace: {
        get isTrusted() {
            return stub.trusted;
        },
        get workspaceFolders() {
            const folder = stub.workspaceFolder;
            return folder ? [{ uri: { scheme: 'file', fsPath: folder }, name: 'w', index: 0 }] : undefined;
        },
        getConfiguration: (section: string) => ({
            get: (key: string) => stub.config[`${section}.${key}`],
        }),
        onDidChangeConfiguration: (listener: Listener) => {
            stub.configListeners.push(listener);
            return disposable;
        },
        onDidGrantWorkspaceTrust: (listener: Listener) => {
            stub.trustListeners.push(listener);
            return disposable;
        },
    },
    commands: {
        registerCommand: (name: string, callback: Listener) => {
            stub.commands.set(name, callback);
            return disposable;
        },
        executeCommand: (...args: unknown[]) => {
            stub.executed.push(args);
            return Promise.resolve(undefined);
        },
    },
    extensions: { getExtension: () => undefined },
    env: { clipboard: { writeText: () => Promise.resolve() } },
    Uri: { file: (fsPath: string) => ({ scheme: 'file', fsPath }) },
    ThemeColor: class {
        constructor(public readonly id: string) {}
    },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
};

const vscode = new Proxy(api as Record<string | symbol, unknown>, {
    get(target, prop) {
        if (prop in target || typeof prop === 'symbol' || prop === 'then') {
            return target[prop];
        }
        target[prop] = anything();
        return target[prop];
    },
});

/** Makes `require('vscode')` return the stub; call before loading the extension. */
export function installVscodeStub(): void {
    const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
    const load = mod._load;
    mod._load = function (request: string, ...rest: unknown[]) {
        return request === 'vscode' ? vscode : load.call(this, request, ...rest);
    };
}

export function resetStub(changes: Partial<StubState> = {}): void {
    Object.assign(stub, {
        trusted: true,
        config: {},
        workspaceFolder: undefined,
        messages: [],
        commands: new Map(),
        executed: [],
        statusText: '',
        trustListeners: [],
        configListeners: [],
        ...changes,
    });
}
