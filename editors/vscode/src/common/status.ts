/**
 * What the status bar item says. The server reports `checking`, `fixing`,
 * `idle` and `error` through the `sleepy/status` notification; the extension
 * adds the states the server cannot report itself (starting, stopped, not
 * installed, untrusted workspace). Pure, so it is tested without VS Code.
 */

export const SERVER_STATES = ['checking', 'fixing', 'idle', 'error'] as const;
export type ServerState = (typeof SERVER_STATES)[number];
export type ClientState = 'starting' | 'stopped' | 'notInstalled' | 'untrusted';
export type State = ServerState | ClientState;

export interface StatusParams {
    state: string;
    message?: string;
}

export interface StatusView {
    text: string;
    tooltip: string;
    /** Shown with the error background: the server is not doing its job. */
    isError: boolean;
    /** Shown with the warning background: the user has something to do. */
    isWarning: boolean;
}

const VIEWS: Record<State, { icon: string; label: string; tooltip: string }> = {
    checking: { icon: '$(sync~spin)', label: 'checking', tooltip: 'Running cargo check.' },
    fixing: { icon: '$(loading~spin)', label: 'fixing', tooltip: 'Computing and verifying fixes.' },
    idle: { icon: '$(check)', label: '', tooltip: 'Idle: fixes are offered as code actions (the light bulb).' },
    error: { icon: '$(error)', label: 'error', tooltip: 'The server reported an error; the log has the details.' },
    starting: { icon: '$(sync~spin)', label: 'starting', tooltip: 'Starting the server.' },
    stopped: { icon: '$(debug-stop)', label: 'stopped', tooltip: 'The server is not running.' },
    notInstalled: { icon: '$(warning)', label: 'not installed', tooltip: 'sleepy-coder is not installed in the interpreter.' },
    untrusted: {
        icon: '$(shield)',
        label: 'restricted',
        tooltip: 'Not started: cargo check runs build scripts, so sleepy-coder waits until you trust this workspace.',
    },
};

/** A state name from the server, or undefined for one this version does not know. */
export function parseServerState(params: unknown): { state: ServerState; message: string } | undefined {
    if (typeof params !== 'object' || params === null) {
        return undefined;
    }
    const { state, message } = params as StatusParams;
    if (!(SERVER_STATES as readonly string[]).includes(state)) {
        return undefined;
    }
    return { state: state as ServerState, message: typeof message === 'string' ? message : '' };
}

export function statusView(state: State, message = ''): StatusView {
    const view = VIEWS[state];
    const text = view.label ? `${view.icon} sleepy: ${view.label}` : `${view.icon} sleepy`;
    const tooltip = message ? `sleepy-coder: ${message}` : `sleepy-coder: ${view.tooltip}`;
    return {
        text,
        tooltip: `${tooltip}\nClick for the server log.`,
        isError: state === 'error' || state === 'stopped',
        isWarning: state === 'notInstalled' || state === 'untrusted',
    };
}
