/**
 * The language client's lifecycle: choose the interpreter, check that it can
 * import the server, start `sleepy-lsp` on stdio, feed the status bar, send
 * settings changes, and stop it again. Restarts go through a RestartGuard, so
 * only one runs at a time and the last request wins.
 *
 * A restart asked for because the interpreter may have changed (its setting,
 * the Python extension's choice) is skipped when a server already runs with
 * the interpreter it would choose: granting workspace trust both restarts the
 * server and applies `sleepy.interpreter` anew (it is a restricted setting),
 * and the Python extension announces its interpreter at start-up, so each of
 * these would otherwise start a second server just after the first.
 */

import { ConfigurationChangeEvent, Disposable, LogOutputChannel, Uri } from 'vscode';
import {
    DidChangeConfigurationNotification,
    Executable,
    ExecuteCommandRequest,
    LanguageClient,
    LanguageClientOptions,
    RevealOutputChannelOn,
    State as ClientState,
} from 'vscode-languageclient/node';
import {
    describeCommandResult,
    describeImportCheck,
    formatCommandLine,
    ImportCheck,
    importCheckCommandLine,
    serverCommandLine,
} from './commandLine';
import { CLIENT_ID, EXTENSION_NAME, SECTION, SERVER_COMMANDS, STATUS_NOTIFICATION } from './constants';
import { traceError, traceInfo, traceVerbose, traceWarn } from './log/logging';
import { ServerOutput } from './log/serverOutput';
import { runProcess } from './process';
import { activePythonInterpreter } from './pythonExtension';
import { chooseInterpreter, InterpreterChoice } from './python';
import { RestartGuard } from './restartGuard';
import { classifyChange, didChangeConfigurationParams, toServerSettings } from './settings';
import { parseServerState } from './status';
import { StatusBar } from './statusBar';
import {
    copyToClipboard,
    executeCommand,
    getConfiguration,
    getProjectRoot,
    isWorkspaceTrusted,
    showErrorMessage,
    showInformationMessage,
    showWarningMessage,
} from './vscodeapi';

const SOURCES: Record<InterpreterChoice['source'], string> = {
    setting: 'the sleepy.interpreter setting',
    pythonExtension: "the Python extension's active environment",
    default: 'the default, as neither sleepy.interpreter nor the Python extension names one',
};

export class SleepyServer implements Disposable {
    private client: LanguageClient | undefined;
    private clientDisposables: Disposable[] = [];
    private readonly guard: RestartGuard;
    /** Problems already shown in a popup this session: a lasting failure is a status, not a stream of popups. */
    private readonly shown = new Set<string>();
    /** The client's output (the server's stderr, its log messages) into the log, each line at its level. */
    private readonly output: ServerOutput;
    /** The interpreter the running server was started with. */
    private runningInterpreter: string | undefined;
    /** Whether the next restart must happen even if the interpreter is the same (a forced restart is pending). */
    private forceNext = false;
    /** The settings the running server was last given (as JSON), so the same ones are not sent twice. */
    private sentSettings = '';

    constructor(
        private readonly log: LogOutputChannel,
        private readonly status: StatusBar,
    ) {
        this.output = new ServerOutput(log);
        this.guard = new RestartGuard(
            () => this.startFresh(),
            (error) => {
                traceError(`Starting the server failed: ${describeError(error)}`);
                this.status.set('error', `The server did not start: ${describeError(error)}`);
            },
        );
    }

    /** Stops the running server (if any) and starts a new one with the current settings. */
    restart(): Promise<void> {
        this.forceNext = true;
        return this.guard.run();
    }

    /**
     * Restarts unless a server already runs with the interpreter the settings choose now; then it
     * only gets the current settings (those restricted until trust may have changed with it).
     */
    restartIfInterpreterChanged(): Promise<void> {
        return this.guard.run();
    }

    /** Lets the next failure show its popup again (the user asked for a restart). */
    forgetShownProblems(): void {
        this.shown.clear();
    }

    /** The interpreter the server runs with, chosen afresh from the settings. */
    async resolveInterpreter(): Promise<InterpreterChoice> {
        const root = getProjectRoot();
        const configured = getConfiguration(SECTION).get<string>('interpreter') ?? '';
        const fromExtension = configured.trim()
            ? undefined
            : await activePythonInterpreter(root ? Uri.file(root) : undefined);
        return chooseInterpreter({ configured, pythonExtension: fromExtension, workspaceFolder: root });
    }

    async onConfigurationChanged(event: ConfigurationChangeEvent): Promise<void> {
        const change = classifyChange((section) => event.affectsConfiguration(section));
        if (change.restart) {
            traceInfo('sleepy.interpreter changed: restarting the server if it runs with another interpreter.');
            await this.restartIfInterpreterChanged();
        } else if (change.notifyServer) {
            await this.sendSettings();
        }
    }

    private async sendSettings(): Promise<void> {
        if (!this.client?.isRunning()) {
            return;
        }
        const settings = toServerSettings(getConfiguration(SECTION));
        const json = JSON.stringify(settings);
        if (json === this.sentSettings) {
            return;
        }
        traceVerbose(`Sending settings: ${json}`);
        this.sentSettings = json;
        await this.client.sendNotification(DidChangeConfigurationNotification.type, didChangeConfigurationParams(settings));
    }

    /** Tells the server the last applied fix was wrong (`sleepy.rejectLast`). */
    async rejectLastFix(): Promise<void> {
        if (!this.client?.isRunning()) {
            await showWarningMessage(`${EXTENSION_NAME} is not running, so there is no fix to reject.`);
            return;
        }
        try {
            const result = await this.client.sendRequest(ExecuteCommandRequest.type, {
                command: SERVER_COMMANDS.rejectLast,
                arguments: [],
            });
            const message = describeCommandResult(result) ?? 'The last applied fix is recorded as wrong.';
            traceInfo(`sleepy.rejectLast: ${message}`);
            await showInformationMessage(`${EXTENSION_NAME}: ${message}`);
        } catch (error) {
            traceError(`sleepy.rejectLast failed: ${describeError(error)}`);
            await showErrorMessage(`${EXTENSION_NAME} could not reject the last fix: ${describeError(error)}`);
        }
    }

    async stop(): Promise<void> {
        const client = this.client;
        this.client = undefined;
        this.runningInterpreter = undefined;
        this.clientDisposables.forEach((d) => d.dispose());
        this.clientDisposables = [];
        if (client) {
            traceInfo('Stopping the server.');
            try {
                await client.stop();
            } catch (error) {
                traceWarn(`The server did not stop cleanly: ${describeError(error)}`);
            }
        }
    }

    dispose(): void {
        void this.stop().finally(() => this.output.dispose());
    }

    private async startFresh(): Promise<void> {
        const forced = this.forceNext;
        this.forceNext = false;
        if (!forced && this.client?.isRunning() && isWorkspaceTrusted()) {
            const choice = await this.resolveInterpreter();
            if (choice.path === this.runningInterpreter) {
                traceInfo(`The server already runs with ${choice.path}: not restarting it.`);
                await this.sendSettings();
                return;
            }
        }
        await this.stop();
        if (!isWorkspaceTrusted()) {
            traceInfo('Not starting the server: the workspace is not trusted, and cargo check runs build scripts.');
            this.status.set('untrusted');
            return;
        }
        this.status.set('starting');
        const choice = await this.resolveInterpreter();
        traceInfo(`Interpreter: ${choice.path} (${SOURCES[choice.source]})`);
        const cwd = getProjectRoot();
        const check = describeImportCheck(
            choice.path,
            await runProcess(importCheckCommandLine(choice.path), { cwd, timeoutMs: 30_000 }),
        );
        if (!check.ok) {
            this.reportNotReady(check);
            return;
        }

        const commandLine = serverCommandLine(choice.path);
        traceInfo(`Server command: ${formatCommandLine(commandLine)}${cwd ? ` (in ${cwd})` : ''}`);
        const executable: Executable = {
            command: commandLine.command,
            args: commandLine.args,
            options: { cwd, env: { ...process.env, PYTHONUNBUFFERED: '1' } },
        };
        const initializationOptions = toServerSettings(getConfiguration(SECTION));
        this.sentSettings = JSON.stringify(initializationOptions);
        traceVerbose(`initializationOptions: ${this.sentSettings}`);
        const clientOptions: LanguageClientOptions = {
            documentSelector: [{ scheme: 'file', language: 'rust' }],
            outputChannel: this.output,
            // LSP traces are written in pieces (a prefix, then the message) and asked for explicitly: as they come.
            traceOutputChannel: this.log,
            revealOutputChannelOn: RevealOutputChannelOn.Never,
            initializationOptions,
        };
        const client = new LanguageClient(
            CLIENT_ID,
            EXTENSION_NAME,
            { run: executable, debug: executable },
            clientOptions,
        );
        this.clientDisposables.push(
            client.onNotification(STATUS_NOTIFICATION, (params: unknown) => {
                const parsed = parseServerState(params);
                if (parsed) {
                    this.status.set(parsed.state, parsed.message);
                } else {
                    traceWarn(`Ignoring a ${STATUS_NOTIFICATION} notification this version does not know: ${JSON.stringify(params)}`);
                }
            }),
            client.onDidChangeState((event) => {
                if (this.client !== client) {
                    return;
                }
                if (event.newState === ClientState.Running) {
                    this.status.set('idle');
                } else if (event.newState === ClientState.Stopped) {
                    this.status.set('stopped');
                }
            }),
        );
        this.client = client;
        this.runningInterpreter = choice.path;
        traceInfo('Starting the server.');
        try {
            await client.start();
        } catch (error) {
            // The client has already shown its own message; keep the failure visible as a status.
            traceError(`The server did not start: ${describeError(error)}`);
            this.status.set('error', `The server did not start: ${describeError(error)}`);
        }
    }

    private reportNotReady(check: Exclude<ImportCheck, { ok: true }>): void {
        traceError(check.message);
        this.status.set(check.reason === 'failed' ? 'error' : 'notInstalled', check.message);
        if (this.shown.has(check.message)) {
            return;
        }
        this.shown.add(check.message);
        const copy = 'Copy Install Command';
        const settings = 'Open Settings';
        const log = 'Show Log';
        const items = check.install ? [copy, settings] : [settings, log];
        void showErrorMessage(`${EXTENSION_NAME}: ${check.message}`, ...items).then(async (choice) => {
            if (choice === copy && check.install) {
                await copyToClipboard(check.install);
            } else if (choice === settings) {
                await executeCommand('workbench.action.openSettings', `${SECTION}.interpreter`);
            } else if (choice === log) {
                this.log.show();
            }
        });
    }
}

function describeError(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
