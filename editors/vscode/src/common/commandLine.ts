/**
 * The command lines the extension runs with the chosen interpreter: the
 * server, the import check, `sleepy review`, and the install hint shown when
 * the import check fails. Pure, so the tests can check them without VS Code.
 */

import { INSTALL_SOURCE, SERVER_PACKAGE } from './constants';
import type { ProcessResult } from './process';

export interface CommandLine {
    command: string;
    args: string[];
}

/**
 * The server's module. Running it with the chosen interpreter (rather than the
 * `sleepy-lsp` console script) means the script need not be on PATH and the
 * server always runs in the environment that passed the import check.
 */
export const SERVER_MODULE = `${SERVER_PACKAGE}.server`;

/** Starts the server on stdio, its only transport (the server has no TCP mode). */
export function serverCommandLine(python: string): CommandLine {
    return { command: python, args: ['-m', SERVER_MODULE] };
}

export function importCheckCommandLine(python: string): CommandLine {
    return { command: python, args: ['-c', `import ${SERVER_PACKAGE}`] };
}

/**
 * `sleepy review` on the same fix memory the server writes.
 *
 * Args:
 *   databasePath: the `sleepy.databasePath` setting; empty: the default database.
 */
export function reviewCommandLine(python: string, databasePath = ''): CommandLine {
    const args = ['-m', `${SERVER_PACKAGE}.cli`, 'review'];
    if (databasePath.trim()) {
        args.push('--db', databasePath.trim());
    }
    return { command: python, args };
}

/** The command a user runs to install the server into this interpreter. */
export function installCommand(python: string): string {
    return `${shellQuote(python)} -m pip install ${INSTALL_SOURCE}`;
}

/** A command line as one string a user can paste into a POSIX shell (for the log). */
export function formatCommandLine(commandLine: CommandLine): string {
    return [commandLine.command, ...commandLine.args].map(shellQuote).join(' ');
}

export function shellQuote(word: string): string {
    return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export type ImportCheck =
    | { ok: true }
    | { ok: false; reason: 'noInterpreter' | 'notInstalled' | 'failed'; message: string; install?: string };

/** What the result of `<python> -c "import sleepy_lsp"` means, in one sentence for the user. */
export function describeImportCheck(python: string, result: ProcessResult): ImportCheck {
    if (result.code === 0) {
        return { ok: true };
    }
    if (result.failure === 'ENOENT' || result.failure === 'EACCES') {
        return {
            ok: false,
            reason: 'noInterpreter',
            message:
                `The Python interpreter "${python}" cannot be run (${result.failure}): ` +
                'set "sleepy.interpreter" to a Python 3.11+ that has sleepy-coder installed.',
        };
    }
    if (result.failure) {
        return {
            ok: false,
            reason: 'failed',
            message: `Checking for sleepy-coder in "${python}" failed (${result.failure}); the log has the details.`,
        };
    }
    if (/ModuleNotFoundError|No module named/.test(result.stderr)) {
        const install = installCommand(python);
        return {
            ok: false,
            reason: 'notInstalled',
            message: `sleepy-coder is not installed in "${python}". Install it from its repository with: ${install}`,
            install,
        };
    }
    const lastLine = result.stderr.trim().split(/\r?\n/).pop() ?? '';
    return {
        ok: false,
        reason: 'failed',
        message: `"${python}" cannot import sleepy-coder (exit code ${result.code}${lastLine ? `: ${lastLine}` : ''}).`,
    };
}

/** What a failed `sleepy review` means, in one sentence; undefined when it worked. */
export function describeReviewFailure(python: string, result: ProcessResult): string | undefined {
    if (result.code === 0) {
        return undefined;
    }
    const check = describeImportCheck(python, result);
    if (!check.ok && check.reason !== 'failed') {
        return check.message;
    }
    if (result.failure === 'timeout') {
        return '`sleepy review` took too long and was stopped.';
    }
    return `\`sleepy review\` failed (${result.failure ?? `exit code ${result.code}`}); the statistics output has its message.`;
}

/** A server command's answer as a sentence for the user: a string, or an object's `message`. */
export function describeCommandResult(result: unknown): string | undefined {
    if (typeof result === 'string' && result.trim()) {
        return result.trim();
    }
    if (typeof result === 'object' && result !== null) {
        const message = (result as { message?: unknown }).message;
        if (typeof message === 'string' && message.trim()) {
            return message.trim();
        }
    }
    return undefined;
}
