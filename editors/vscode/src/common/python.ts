/**
 * Which Python runs the server: the `sleepy.interpreter` setting, else the
 * Python extension's active environment, else `python3` (`python` on Windows).
 *
 * Pure functions only; asking the Python extension lives in pythonExtension.ts.
 */

import * as os from 'os';
import * as path from 'path';

export type InterpreterSource = 'setting' | 'pythonExtension' | 'default';

export interface InterpreterChoice {
    /** The interpreter to run: a path, or a bare name looked up on PATH. */
    path: string;
    source: InterpreterSource;
}

export interface InterpreterInputs {
    /** `sleepy.interpreter`, as the user wrote it. */
    configured?: string;
    /** The Python extension's active environment, when that extension is installed. */
    pythonExtension?: string;
    /** The workspace folder `${workspaceFolder}` and relative paths refer to. */
    workspaceFolder?: string;
    home?: string;
    env?: NodeJS.ProcessEnv;
    platform?: NodeJS.Platform;
}

export function defaultPython(platform: NodeJS.Platform = process.platform): string {
    return platform === 'win32' ? 'python' : 'python3';
}

/** Picks the interpreter; a blank setting counts as unset. */
export function chooseInterpreter(inputs: InterpreterInputs): InterpreterChoice {
    const configured = inputs.configured?.trim();
    if (configured) {
        return { path: expandPath(configured, inputs), source: 'setting' };
    }
    const fromExtension = inputs.pythonExtension?.trim();
    if (fromExtension) {
        return { path: fromExtension, source: 'pythonExtension' };
    }
    return { path: defaultPython(inputs.platform), source: 'default' };
}

/**
 * Expands `${workspaceFolder}`, `${userHome}`, `${env:NAME}` and a leading `~`,
 * and makes a relative path that names a folder (`.venv/bin/python`) relative
 * to the workspace folder. A bare name (`python3.12`) stays a name for PATH.
 */
export function expandPath(value: string, inputs: InterpreterInputs = {}): string {
    const home = inputs.home ?? os.homedir();
    const env = inputs.env ?? process.env;
    let expanded = value
        .replace(/\$\{workspaceFolder\}/g, inputs.workspaceFolder ?? '')
        .replace(/\$\{userHome\}/g, home)
        .replace(/\$\{env:([^}]+)\}/g, (_match, name: string) => env[name] ?? '');
    if (expanded === '~' || expanded.startsWith('~/') || expanded.startsWith('~\\')) {
        expanded = home + expanded.slice(1);
    }
    const hasSeparator = expanded.includes('/') || expanded.includes('\\');
    if (hasSeparator && !path.isAbsolute(expanded) && inputs.workspaceFolder) {
        expanded = path.join(inputs.workspaceFolder, expanded);
    }
    return expanded;
}
