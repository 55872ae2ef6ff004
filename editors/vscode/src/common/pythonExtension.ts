/**
 * The Python extension's active environment, the fallback interpreter when
 * `sleepy.interpreter` is empty. The Python extension is optional: without it
 * (or when its API fails) the answer is undefined and `python3` is used.
 */

import { Disposable, Event, Uri } from 'vscode';
import { PYTHON_EXTENSION_ID } from './constants';
import { traceVerbose, traceWarn } from './log/logging';
import { getExtension } from './vscodeapi';

/** The part of the Python extension's API this extension uses. */
interface PythonExtensionApi {
    environment: {
        getActiveEnvironmentPath(resource?: Uri): { id: string; path: string };
        resolveEnvironment(environment: { id: string; path: string } | string): Promise<
            { executable: { uri: Uri | undefined } } | undefined
        >;
        readonly onDidChangeActiveEnvironmentPath: Event<unknown>;
    };
}

async function pythonApi(): Promise<PythonExtensionApi | undefined> {
    const extension = getExtension(PYTHON_EXTENSION_ID);
    if (!extension) {
        return undefined;
    }
    if (!extension.isActive) {
        await extension.activate();
    }
    const api = extension.exports as Partial<PythonExtensionApi> | undefined;
    return api?.environment ? (api as PythonExtensionApi) : undefined;
}

/** The active environment's interpreter for this resource, if the Python extension knows one. */
export async function activePythonInterpreter(resource?: Uri): Promise<string | undefined> {
    try {
        const api = await pythonApi();
        if (!api) {
            return undefined;
        }
        const active = api.environment.getActiveEnvironmentPath(resource);
        const resolved = await api.environment.resolveEnvironment(active);
        const interpreter = resolved?.executable.uri?.fsPath;
        traceVerbose(`Python extension's active environment: ${interpreter ?? '(none)'}`);
        return interpreter;
    } catch (error) {
        traceWarn(`Could not ask the Python extension for its interpreter: ${String(error)}`);
        return undefined;
    }
}

/** Calls `listener` when the user picks another environment in the Python extension. */
export async function onDidChangePythonInterpreter(listener: () => unknown): Promise<Disposable | undefined> {
    try {
        const api = await pythonApi();
        return api?.environment.onDidChangeActiveEnvironmentPath(() => listener());
    } catch (error) {
        traceWarn(`Could not watch the Python extension's interpreter: ${String(error)}`);
        return undefined;
    }
}
