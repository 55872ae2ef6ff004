/**
 * The language client's output, written into the extension's log at each line's own level.
 *
 * vscode-languageclient writes everything it gets into its output channel with
 * `append`/`appendLine`: the server's stderr (Python's logging lines, e.g.
 * `2026-11-30 23:44:17,877 ERROR sleepy_lsp.server: ...`) in arbitrary chunks,
 * and the server's `window/logMessage` as `[Error - 11:44:17 PM] ...`. Given a
 * LogOutputChannel directly, each of those lands as an `[info]` line (an error
 * included, with a blank line after each stderr line, and with two timestamps).
 * This adapter splits the stream into lines, reads the level each line names,
 * drops the timestamp the channel adds anyway, and logs it at that level;
 * the lines of a traceback keep the level of the line that began it.
 *
 * Nothing here imports VS Code at run time, so the tests can feed it lines.
 */

import type { OutputChannel, ViewColumn } from 'vscode';

export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** What this adapter needs of a LogOutputChannel. */
export interface LevelledLog {
    readonly name: string;
    trace(message: string): void;
    debug(message: string): void;
    info(message: string): void;
    warn(message: string): void;
    error(message: string): void;
    append(value: string): void;
    replace(value: string): void;
    clear(): void;
    show(preserveFocus?: boolean): void;
    hide(): void;
}

const PYTHON_LEVELS: Record<string, Level> = {
    DEBUG: 'debug',
    INFO: 'info',
    WARNING: 'warn',
    ERROR: 'error',
    CRITICAL: 'error',
};

const CLIENT_LEVELS: Record<string, Level> = {
    Trace: 'trace',
    Debug: 'debug',
    Info: 'info',
    Warn: 'warn',
    Error: 'error',
};

/** `2026-11-30 23:44:17,877 ERROR sleepy_lsp.server: message` (the server's log format). */
const PYTHON_LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:[,.]\d+)? (DEBUG|INFO|WARNING|ERROR|CRITICAL) (.*)$/;
/** `[Error - 11:44:17 PM] message` (how the client writes a logMessage). */
const CLIENT_LINE = /^\[(Trace|Debug|Info|Warn|Error)\s*- [^\]]*\] ?(.*)$/s;

/** One line of the server's stderr: its level (undefined: it continues the line before) and its text. */
export function parseServerLine(line: string): { level: Level | undefined; message: string } {
    const match = PYTHON_LINE.exec(line);
    return match ? { level: PYTHON_LEVELS[match[1]], message: match[2] } : { level: undefined, message: line };
}

/** One line the client wrote itself: its level (info when it names none) and its text. */
export function parseClientLine(line: string): { level: Level; message: string } {
    const match = CLIENT_LINE.exec(line);
    return match ? { level: CLIENT_LEVELS[match[1]], message: match[2] } : { level: 'info', message: line };
}

/** An OutputChannel for the language client that writes into a LogOutputChannel at each line's level. */
export class ServerOutput implements OutputChannel {
    private pending = '';
    /** The level of the last stderr line that named one: a traceback's lines follow its first. */
    private lastLevel: Level = 'info';
    private flushTimer: ReturnType<typeof setTimeout> | undefined;

    constructor(
        private readonly log: LevelledLog,
        /** How long a partial stderr line waits for the rest before it is written as it is. */
        private readonly partialLineMs = 200,
    ) {}

    get name(): string {
        return this.log.name;
    }

    /** Stderr chunks (the client's only use of `append`, besides trace output it sends elsewhere). */
    append(value: string): void {
        this.pending += value;
        const lines = this.pending.split(/\r?\n/);
        this.pending = lines.pop() ?? '';
        lines.forEach((line) => this.writeServerLine(line));
        this.clearTimer();
        if (this.pending) {
            this.flushTimer = setTimeout(() => this.flush(), this.partialLineMs);
        }
    }

    appendLine(value: string): void {
        this.flush();
        const { level, message } = parseClientLine(value);
        this.log[level](message);
    }

    /** Writes a partial stderr line that has waited long enough. */
    flush(): void {
        this.clearTimer();
        if (this.pending) {
            const line = this.pending;
            this.pending = '';
            this.writeServerLine(line);
        }
    }

    replace(value: string): void {
        this.flush();
        this.log.replace(value);
    }

    clear(): void {
        this.pending = '';
        this.log.clear();
    }

    show(columnOrPreserveFocus?: ViewColumn | boolean, preserveFocus?: boolean): void {
        this.log.show(typeof columnOrPreserveFocus === 'boolean' ? columnOrPreserveFocus : preserveFocus);
    }

    hide(): void {
        this.log.hide();
    }

    /** Flushes what is left; the log itself belongs to the extension and stays open. */
    dispose(): void {
        this.flush();
    }

    private writeServerLine(line: string): void {
        if (!line.trim()) {
            return;
        }
        const { level, message } = parseServerLine(line);
        if (level) {
            this.lastLevel = level;
        } else if (line.startsWith('Traceback (most recent call last)')) {
            this.lastLevel = 'error'; // a crash's traceback, written by Python itself rather than logged
        }
        this.log[level ?? this.lastLevel](message);
    }

    private clearTimer(): void {
        if (this.flushTimer !== undefined) {
            clearTimeout(this.flushTimer);
            this.flushTimer = undefined;
        }
    }
}
