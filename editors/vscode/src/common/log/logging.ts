/**
 * The extension's log: one LogOutputChannel ("sleepy-coder"), shared with the
 * language client so the server's stderr and the extension's own lines read as
 * one story. Modules log through these functions rather than holding the
 * channel, so the pure modules stay testable without VS Code (before a logger
 * is registered, and in unit tests, the functions do nothing).
 */

import * as util from 'util';
import type { Disposable, LogOutputChannel } from 'vscode';

type Arguments = unknown[];

let channel: LogOutputChannel | undefined;

export function registerLogger(logChannel: LogOutputChannel): Disposable {
    channel = logChannel;
    return {
        dispose: () => {
            channel = undefined;
        },
    };
}

export function traceError(...args: Arguments): void {
    channel?.error(util.format(...args));
}

export function traceWarn(...args: Arguments): void {
    channel?.warn(util.format(...args));
}

export function traceInfo(...args: Arguments): void {
    channel?.info(util.format(...args));
}

export function traceVerbose(...args: Arguments): void {
    channel?.debug(util.format(...args));
}
