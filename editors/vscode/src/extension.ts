/**
 * Activation: the log, the status bar, the server and the commands.
 *
 * The server runs `cargo check`, which runs the crate's build scripts and
 * procedural macros, so in an untrusted workspace (package.json declares
 * `untrustedWorkspaces: limited`) nothing is started and the user is told why;
 * granting trust starts it.
 */

import * as vscode from 'vscode';
import { COMMANDS, EXTENSION_NAME, SECTION } from './common/constants';
import { registerLogger, traceInfo } from './common/log/logging';
import { onDidChangePythonInterpreter } from './common/pythonExtension';
import { SleepyServer } from './common/server';
import { showStats } from './common/stats';
import { StatusBar } from './common/statusBar';
import {
    createLogOutputChannel,
    createOutputChannel,
    executeCommand,
    getConfiguration,
    isWorkspaceTrusted,
    onDidChangeConfiguration,
    onDidGrantWorkspaceTrust,
    registerCommand,
    showInformationMessage,
} from './common/vscodeapi';

let server: SleepyServer | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
    const log = createLogOutputChannel(EXTENSION_NAME);
    context.subscriptions.push(log, registerLogger(log));
    traceInfo(`${EXTENSION_NAME} ${String(context.extension.packageJSON.version)} activating.`);

    const status = new StatusBar();
    const statsChannel = createOutputChannel(`${EXTENSION_NAME}: fix statistics`);
    const sleepy = new SleepyServer(log, status);
    server = sleepy;
    context.subscriptions.push(status, statsChannel, sleepy);

    context.subscriptions.push(
        registerCommand(COMMANDS.restart, async () => {
            if (!isWorkspaceTrusted()) {
                return explainUntrusted();
            }
            sleepy.forgetShownProblems();
            await sleepy.restart();
        }),
        registerCommand(COMMANDS.showStats, async () => {
            // The interpreter may be the workspace's own environment: do not run it before trust.
            if (!isWorkspaceTrusted()) {
                return explainUntrusted();
            }
            const databasePath = getConfiguration(SECTION).get<string>('databasePath') ?? '';
            await showStats((await sleepy.resolveInterpreter()).path, databasePath, statsChannel);
        }),
        registerCommand(COMMANDS.showLog, () => log.show()),
        registerCommand(COMMANDS.rejectLastFix, () => sleepy.rejectLastFix()),
        onDidChangeConfiguration((event) => sleepy.onConfigurationChanged(event)),
        onDidGrantWorkspaceTrust(() => {
            traceInfo('The workspace is now trusted: starting the server.');
            return sleepy.restart();
        }),
    );

    if (!isWorkspaceTrusted()) {
        void explainUntrusted();
    }
    void sleepy.restart();

    // Follow the Python extension's interpreter, unless sleepy.interpreter overrides it.
    void onDidChangePythonInterpreter(() => {
        if (!getConfiguration(SECTION).get<string>('interpreter')?.trim()) {
            traceInfo("The Python extension's interpreter changed: restarting the server if it runs with another one.");
            void sleepy.restartIfInterpreterChanged();
        }
    }).then((watch) => watch && context.subscriptions.push(watch));
}

export async function deactivate(): Promise<void> {
    await server?.stop();
    server = undefined;
}

async function explainUntrusted(): Promise<void> {
    const manage = 'Manage Workspace Trust';
    const choice = await showInformationMessage(
        `${EXTENSION_NAME} is not running: this workspace is not trusted, and the server runs cargo check, ` +
            "which runs the crate's build scripts and procedural macros. Trust the workspace to start it.",
        manage,
    );
    if (choice === manage) {
        await executeCommand('workbench.trust.manage');
    }
}
