/**
 * Thin wrappers over the VS Code API, so the rest of the extension calls
 * plain functions that a test can replace.
 */

import {
    commands,
    ConfigurationChangeEvent,
    ConfigurationScope,
    Disposable,
    env,
    extensions,
    LogOutputChannel,
    OutputChannel,
    ProgressLocation,
    StatusBarAlignment,
    StatusBarItem,
    window,
    workspace,
    WorkspaceConfiguration,
    WorkspaceFolder,
} from 'vscode';

export function createLogOutputChannel(name: string): LogOutputChannel {
    return window.createOutputChannel(name, { log: true });
}

export function createOutputChannel(name: string): OutputChannel {
    return window.createOutputChannel(name);
}

export function createStatusBarItem(id: string, name: string): StatusBarItem {
    const item = window.createStatusBarItem(id, StatusBarAlignment.Left, 0);
    item.name = name;
    return item;
}

export function getConfiguration(section: string, scope?: ConfigurationScope): WorkspaceConfiguration {
    return workspace.getConfiguration(section, scope);
}

export function onDidChangeConfiguration(listener: (e: ConfigurationChangeEvent) => unknown): Disposable {
    return workspace.onDidChangeConfiguration(listener);
}

export function registerCommand(command: string, callback: (...args: unknown[]) => unknown): Disposable {
    return commands.registerCommand(command, callback);
}

export function executeCommand<T>(command: string, ...rest: unknown[]): Thenable<T> {
    return commands.executeCommand<T>(command, ...rest);
}

export function isWorkspaceTrusted(): boolean {
    return workspace.isTrusted;
}

export function onDidGrantWorkspaceTrust(listener: () => unknown): Disposable {
    return workspace.onDidGrantWorkspaceTrust(listener);
}

export function getWorkspaceFolders(): readonly WorkspaceFolder[] {
    return workspace.workspaceFolders ?? [];
}

/** The folder the server and `sleepy review` run in: the first local workspace folder. */
export function getProjectRoot(): string | undefined {
    return getWorkspaceFolders().find((f) => f.uri.scheme === 'file')?.uri.fsPath;
}

export function getExtension(id: string) {
    return extensions.getExtension(id);
}

export function showErrorMessage(message: string, ...items: string[]): Thenable<string | undefined> {
    return window.showErrorMessage(message, ...items);
}

export function showWarningMessage(message: string, ...items: string[]): Thenable<string | undefined> {
    return window.showWarningMessage(message, ...items);
}

export function showInformationMessage(message: string, ...items: string[]): Thenable<string | undefined> {
    return window.showInformationMessage(message, ...items);
}

export function copyToClipboard(text: string): Thenable<void> {
    return env.clipboard.writeText(text);
}

export function withProgress<T>(title: string, task: () => Promise<T>): Thenable<T> {
    return window.withProgress({ location: ProgressLocation.Window, title }, task);
}
