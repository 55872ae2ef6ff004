/** The status bar item: the server's state, fed by `sleepy/status` and the client's own states. */

import { Disposable, StatusBarItem, ThemeColor } from 'vscode';
import { COMMANDS } from './constants';
import { State, statusView } from './status';
import { createStatusBarItem } from './vscodeapi';

export class StatusBar implements Disposable {
    private readonly item: StatusBarItem;
    private current: State = 'stopped';

    constructor() {
        this.item = createStatusBarItem('sleepy.status', 'sleepy-coder');
        this.item.command = COMMANDS.showLog;
        this.set('starting');
        this.item.show();
    }

    get state(): State {
        return this.current;
    }

    set(state: State, message = ''): void {
        this.current = state;
        const view = statusView(state, message);
        this.item.text = view.text;
        this.item.tooltip = view.tooltip;
        this.item.backgroundColor = view.isError
            ? new ThemeColor('statusBarItem.errorBackground')
            : view.isWarning
              ? new ThemeColor('statusBarItem.warningBackground')
              : undefined;
    }

    dispose(): void {
        this.item.dispose();
    }
}
