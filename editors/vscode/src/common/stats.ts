/** `sleepy.showStats`: runs `sleepy review` with the server's interpreter and shows its report. */

import { OutputChannel } from 'vscode';
import { describeReviewFailure, formatCommandLine, reviewCommandLine } from './commandLine';
import { EXTENSION_NAME } from './constants';
import { traceError, traceInfo } from './log/logging';
import { runProcess } from './process';
import { getProjectRoot, showErrorMessage, withProgress } from './vscodeapi';

/**
 * Args:
 *   python: the interpreter the server runs with.
 *   databasePath: the `sleepy.databasePath` setting, so the report reads the database the server writes.
 */
export async function showStats(python: string, databasePath: string, channel: OutputChannel): Promise<void> {
    const commandLine = reviewCommandLine(python, databasePath);
    traceInfo(`Fix statistics: ${formatCommandLine(commandLine)}`);
    const result = await withProgress(`${EXTENSION_NAME}: reading the fix memory`, () =>
        runProcess(commandLine, {
            cwd: getProjectRoot(),
            timeoutMs: 120_000,
            // Rich lays tables out for COLUMNS; without a terminal it would assume 80.
            env: { ...process.env, COLUMNS: '120', NO_COLOR: '1', PYTHONIOENCODING: 'utf-8' },
        }),
    );
    channel.clear();
    channel.appendLine(`$ ${formatCommandLine(commandLine)}`);
    channel.append(result.stdout);
    if (result.stderr) {
        channel.append(result.stderr);
    }
    channel.show(true);
    const failure = describeReviewFailure(python, result);
    if (failure) {
        traceError(failure);
        await showErrorMessage(`${EXTENSION_NAME}: ${failure}`);
    }
}
