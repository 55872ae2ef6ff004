/** Names shared by the extension's modules; nothing here imports VS Code. */

export const EXTENSION_NAME = 'sleepy-coder';
export const CLIENT_ID = 'sleepy';
/** The configuration section: settings are `sleepy.*`. */
export const SECTION = 'sleepy';
/** The Python extension, whose active environment is the fallback interpreter. */
export const PYTHON_EXTENSION_ID = 'ms-python.python';
/** What pip installs when the interpreter cannot import the server: sleepy-coder is not on PyPI, so a
 * checkout of its repository (the README's install line says the same). */
export const INSTALL_SOURCE = '/path/to/sleepy-coder';
/** The importable package that holds the server and the `sleepy` command line. */
export const SERVER_PACKAGE = 'sleepy_lsp';

export const COMMANDS = {
    restart: 'sleepy.restart',
    showStats: 'sleepy.showStats',
    showLog: 'sleepy.showLog',
    rejectLastFix: 'sleepy.rejectLastFix',
} as const;

/** Commands the server runs through workspace/executeCommand. */
export const SERVER_COMMANDS = {
    rejectLast: 'sleepy.rejectLast',
} as const;

/** The server's notification that feeds the status bar item. */
export const STATUS_NOTIFICATION = 'sleepy/status';
