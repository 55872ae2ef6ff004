/** Running a short-lived process (the import check, `sleepy review`) with a time limit. */

import { execFile } from 'child_process';
import type { CommandLine } from './commandLine';

export interface ProcessResult {
    /** The exit code; null when the process did not start or was killed. */
    code: number | null;
    stdout: string;
    stderr: string;
    /** Why it did not start or finish: `ENOENT` (no such program), `EACCES`, `timeout`. */
    failure?: string;
}

export interface RunOptions {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    timeoutMs?: number;
}

/** Runs a command line to completion; never rejects. */
export function runProcess(commandLine: CommandLine, options: RunOptions = {}): Promise<ProcessResult> {
    return new Promise((resolve) => {
        execFile(
            commandLine.command,
            commandLine.args,
            {
                cwd: options.cwd,
                env: options.env,
                timeout: options.timeoutMs ?? 30_000,
                maxBuffer: 16 * 1024 * 1024,
                windowsHide: true,
            },
            (error, stdout, stderr) => {
                const result: ProcessResult = { code: 0, stdout: String(stdout), stderr: String(stderr) };
                if (error) {
                    const err = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
                    if (typeof err.code === 'number') {
                        result.code = err.code;
                    } else {
                        result.code = null;
                        result.failure = err.killed ? 'timeout' : (err.code ?? err.message);
                    }
                }
                resolve(result);
            },
        );
    });
}
