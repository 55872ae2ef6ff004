/**
 * Drives a running code-server (a real VS Code) with headless Chromium through puppeteer-core,
 * as a user would: open a file, wait for the error, press Ctrl+. and pick a fix by its label.
 *
 * Run by tests/test_vscode_e2e.py: `node drive.mjs CONFIG.json RESULT.json`. The config names the
 * scenario and everything it needs (see the pytest side); the result is one JSON object: `ok`, the
 * `step` it reached, an `error` when it failed, what it saw (labels, editor text), and the screenshots
 * it saved into `artifacts` when a step failed (after a run that passed, one last screenshot goes to
 * `finalScreenshot`, which the pytest side keeps only if one of its own checks fails). Checks that
 * need the server's side (the fix memory, the logs) are the pytest side's.
 */

import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

const [configPath, resultPath] = process.argv.slice(2);
const config = JSON.parse(fs.readFileSync(configPath, 'utf8'));
const require = createRequire(path.join(config.driverDir, 'package.json'));
const puppeteer = require('puppeteer-core');

const result = { ok: false, scenario: config.scenario, step: 'start', steps: [], screenshots: [], seen: {} };
const started = Date.now();

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** How the server marks its fixes' titles: `... (compiles ✓)`, `... (compiles ✓, tests pass)`, `... (not verified)`. */
const VERIFIED = new RegExp(config.verifiedPattern, 'u');
const SLEEPY_FIX = new RegExp(`${config.verifiedPattern}|${config.unverifiedPattern}`, 'u');

function step(name) {
    result.step = name;
    result.steps.push({ name, atMs: Date.now() - started });
}

/** Polls `probe` until it returns something truthy; throws `what` after `timeoutMs`. */
async function until(probe, what, timeoutMs, everyMs = 250) {
    const end = Date.now() + timeoutMs;
    for (;;) {
        const value = await probe();
        if (value) {
            return value;
        }
        if (Date.now() > end) {
            throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
        }
        await sleep(everyMs);
    }
}

async function chord(page, modifiers, key) {
    for (const modifier of modifiers) {
        await page.keyboard.down(modifier);
    }
    await page.keyboard.press(key);
    for (const modifier of [...modifiers].reverse()) {
        await page.keyboard.up(modifier);
    }
}

async function screenshot(page, name) {
    if (!page) {
        return;
    }
    try {
        fs.mkdirSync(config.artifacts, { recursive: true });
        const file = path.join(config.artifacts, `${name}.png`);
        await page.screenshot({ path: file });
        result.screenshots.push(file);
    } catch (error) {
        result.screenshotError = String(error);
    }
}

/** The editor's visible lines, top to bottom, with VS Code's non-breaking spaces made plain. */
async function editorLines(page) {
    return page.$$eval('.editor-group-container.active .monaco-editor .view-lines .view-line', (lines) =>
        lines
            .map((line) => ({ top: parseFloat(line.style.top) || 0, text: line.textContent ?? '' }))
            .sort((a, b) => a.top - b.top)
            .map((line) => line.text.replace(/\u00a0/g, ' ')),
    );
}

/** The labels of the open code action menu (empty when it is not open). */
async function menuLabels(page) {
    return page.$$eval('.action-widget .monaco-list-row', (rows) =>
        rows
            .filter((row) => !row.classList.contains('group-header'))
            .map((row) => (row.querySelector('.title')?.textContent ?? row.textContent ?? '').trim()),
    );
}

/** Command lines of the processes below `rootPid` that contain `needle` (from /proc, as `ps` would). */
function processesBelow(rootPid, needle) {
    const children = new Map();
    const cmdlines = new Map();
    for (const name of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(name)) {
            continue;
        }
        try {
            const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
            const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
            cmdlines.set(Number(name), fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim());
            children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
        } catch {
            // The process ended while we looked.
        }
    }
    const found = [];
    const todo = [...(children.get(rootPid) ?? [])];
    while (todo.length) {
        const pid = todo.pop();
        if (cmdlines.get(pid)?.includes(needle)) {
            found.push(cmdlines.get(pid));
        }
        todo.push(...(children.get(pid) ?? []));
    }
    return found;
}

/** The texts of the notification toasts and the notification center. */
async function notifications(page) {
    return page.$$eval('.notifications-toasts .notification-list-item, .notifications-center .notification-list-item',
        (items) => items.map((item) => (item.textContent ?? '').trim()));
}

async function openWorkbench(page) {
    step('open the workbench');
    await page.goto(config.url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.waitForSelector('.monaco-workbench .part.editor', { timeout: 60_000 });
    // The explorer shows the folder's files once the workbench has the workspace.
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
}

async function openFile(page) {
    step(`open ${config.fileName}`);
    await page.click('.monaco-workbench .part.editor');
    await until(async () => {
        await chord(page, ['Control'], 'KeyP');
        try {
            await page.waitForSelector('.quick-input-widget .quick-input-box input', { visible: true, timeout: 3_000 });
            return true;
        } catch {
            return false;
        }
    }, 'the Quick Open box (Ctrl+P)', 30_000);
    await page.keyboard.type(config.relativePath);
    await until(
        () => page.$$eval('.quick-input-list .monaco-list-row', (rows) => rows.length > 0),
        `"${config.relativePath}" in Quick Open`,
        15_000,
    );
    await page.keyboard.press('Enter');
    await until(
        () => page.$$eval('.tabs-container .tab.active',
            (tabs, name) => tabs.some((t) => (t.textContent ?? '').includes(name)), config.fileName),
        `an editor tab for ${config.fileName}`,
        15_000,
    );
    await until(async () => (await editorLines(page)).some((line) => line.includes(config.errorLineText)),
        `the editor to show "${config.errorLineText}"`, 15_000);
    await page.click('.editor-group-container.active .monaco-editor .view-lines');
}

async function goTo(page, line, column) {
    await chord(page, ['Control'], 'KeyG');
    await page.waitForSelector('.quick-input-widget .quick-input-box input', { visible: true, timeout: 10_000 });
    await page.keyboard.type(`${line}:${column}`);
    await page.keyboard.press('Enter');
    await sleep(300);
}

/** Shows the Problems panel: Ctrl+Shift+M toggles it, so it is pressed only while the panel is hidden. */
async function showProblems(page) {
    const visible = () => page.$$eval('.markers-panel', (panels) => panels.some((panel) => panel.offsetParent !== null));
    await until(async () => {
        if (await visible()) {
            return true;
        }
        await chord(page, ['Control', 'Shift'], 'KeyM');
        await sleep(500);
        return visible();
    }, 'the Problems panel (Ctrl+Shift+M)', 15_000, 0);
}

/** The Problems panel's rows, each as its lines. */
async function problemRows(page) {
    return page.$$eval('.markers-panel .monaco-list-row', (items) =>
        items.map((item) => item.innerText.split('\n').map((line) => line.trim()).filter(Boolean)));
}

/**
 * Shows the Problems panel and returns its rows once one is from `source` with `code` (the panel
 * shows them as `sleepy(E0596)`, in elements of their own).
 */
async function problems(page, source, code, timeoutMs) {
    await showProblems(page);
    return until(async () => {
        const rows = await problemRows(page);
        return rows.some((lines) => lines.includes(source) && lines.includes(code)) ? rows.map((l) => l.join(' | ')) : false;
    }, `a ${source}(${code}) problem in the Problems panel`, timeoutMs);
}

/**
 * Presses Ctrl+. at the error until the menu holds an entry that matches `pattern` (fixes are
 * verified in the background, and the menu shows "fixing..." meanwhile); returns all labels seen.
 */
async function quickFixMenuWith(page, pattern, timeoutMs) {
    const seen = [];
    const labels = await until(async () => {
        await goTo(page, config.line, config.column);
        await chord(page, ['Control'], 'Period');
        let current = [];
        try {
            current = await until(async () => {
                const l = await menuLabels(page);
                return l.length ? l : false;
            }, 'the Quick Fix menu', 3_000, 150);
        } catch {
            current = [];
        }
        const key = JSON.stringify(current);
        if (!seen.some((s) => JSON.stringify(s) === key)) {
            seen.push(current);
        }
        if (current.some((label) => pattern.test(label))) {
            return current;
        }
        await page.keyboard.press('Escape');
        await sleep(1_000);
        return false;
    }, `a Quick Fix entry matching /${pattern.source}/`, timeoutMs, 0).catch((error) => {
        result.seen.menus = seen;
        throw error;
    });
    result.seen.menus = seen;
    return labels;
}

/** Picks the menu entry with this label: Down until it has the focus, then Enter. */
async function pick(page, label) {
    for (let i = 0; i < 20; i++) {
        const focused = await page.$$eval('.action-widget .monaco-list-row.focused', (rows) =>
            rows.map((row) => (row.querySelector('.title')?.textContent ?? row.textContent ?? '').trim()));
        if (focused.includes(label)) {
            await page.keyboard.press('Enter');
            await until(async () => (await menuLabels(page)).length === 0, 'the Quick Fix menu to close', 10_000);
            return;
        }
        await page.keyboard.press('ArrowDown');
        await sleep(100);
    }
    throw new Error(`could not move the Quick Fix focus to "${label}"`);
}

/** Merges `values` into a settings.json, as a user editing the file would. */
function writeSettings({ path: file, values }) {
    const current = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
    fs.writeFileSync(file, JSON.stringify({ ...current, ...values }, null, 4));
}

async function fixScenario(page) {
    await openWorkbench(page);
    await openFile(page);

    step('wait for the diagnostic');
    result.seen.problems = await problems(page, config.diagnosticSource, config.errorCode, config.diagnosticTimeoutMs);
    await page.waitForSelector('.editor-group-container.active .monaco-editor .squiggly-error', { timeout: 10_000 });
    await page.click('.editor-group-container.active .monaco-editor .view-lines');

    step('open Quick Fix (Ctrl+.) until a verified fix is offered');
    const labels = await quickFixMenuWith(page, VERIFIED, config.fixTimeoutMs);
    const verified = labels.filter((label) => VERIFIED.test(label));
    result.seen.verified = verified;
    const chosen = verified.find((label) => label.includes(config.fixTitleIncludes)) ?? verified[0];
    result.seen.chosen = chosen;

    step(`pick "${chosen}"`);
    await pick(page, chosen);
    await until(async () => (await editorLines(page)).some((line) => line.includes(config.expectText)),
        `the editor to show "${config.expectText}"`, 15_000);
    result.seen.editorLines = await editorLines(page);

    step('save (Ctrl+S)');
    await chord(page, ['Control'], 'KeyS');
    await until(() => fs.readFileSync(config.file, 'utf8').includes(config.expectText),
        `"${config.expectText}" on disk after Ctrl+S`, 15_000);
    await until(
        () => page.$$eval('.tabs-container .tab.active', (tabs) => tabs.every((t) => !t.classList.contains('dirty'))),
        'the tab to lose its unsaved mark', 10_000,
    );
    result.seen.diskText = fs.readFileSync(config.file, 'utf8');

    step(`change a sleepy setting in ${config.settingsChange.path}`);
    writeSettings(config.settingsChange);
    await until(() => config.settingsChangeFiles.every((file) => fs.existsSync(file)),
        `the server to act on the new settings (${config.settingsChangeFiles.join(', ')})`, 60_000, 500);
    // While the browser is connected: closing it ends the window's extension host, and the server with it.
    result.seen.servers = processesBelow(config.codeServerPid, config.serverModule);
}

async function untrustedScenario(page) {
    await openWorkbench(page);
    step('see Restricted Mode');
    await until(() => page.$$eval('.statusbar-item', (items) =>
        items.some((item) => /Restricted Mode/i.test(item.textContent ?? ''))), 'the "Restricted Mode" status bar item', 30_000);
    await openFile(page);

    step("see the extension's untrusted notice");
    result.seen.notifications = await until(async () => {
        const texts = await notifications(page);
        return texts.some((text) => text.includes(config.untrustedNotice)) ? texts : false;
    }, `a notification containing "${config.untrustedNotice}"`, 60_000);

    step('open Quick Fix (Ctrl+.) and see no sleepy fix');
    await page.click('.editor-group-container.active .monaco-editor .view-lines');
    const menus = [];
    const end = Date.now() + config.quietMs;
    while (Date.now() < end) {
        await goTo(page, config.line, config.column);
        await chord(page, ['Control'], 'Period');
        await sleep(1_500);
        menus.push(await menuLabels(page));
        await page.keyboard.press('Escape');
        await sleep(1_000);
    }
    result.seen.menus = menus;
    const sleepy = menus.flat().filter((label) => SLEEPY_FIX.test(label));
    if (sleepy.length) {
        throw new Error(`an untrusted workspace offered sleepy fixes: ${JSON.stringify(sleepy)}`);
    }
    result.seen.editorSquiggles = await page.$$eval('.monaco-editor .squiggly-error', (s) => s.length);
    await showProblems(page);
    await sleep(500);
    result.seen.problemsWhileUntrusted = (await problemRows(page)).length;
    result.seen.serversWhileUntrusted = processesBelow(config.codeServerPid, config.serverModule);
    if (config.grantTrust) {
        await grantTrust(page);
    }
}

/** Trusts the folder as a user would, from the extension's notice (or the command palette), and waits for the server's diagnostic. */
async function grantTrust(page) {
    step('trust the folder (Manage Workspace Trust, then Trust)');
    const fromNotice = await page.$$('.notification-list-item .monaco-button').then(async (buttons) => {
        for (const button of buttons) {
            if ((await button.evaluate((b) => b.textContent ?? '')).includes('Manage Workspace Trust')) {
                await button.click();
                return true;
            }
        }
        return false;
    });
    result.seen.trustFromNotice = fromNotice;
    if (!fromNotice) {
        await page.keyboard.press('F1');
        await page.waitForSelector('.quick-input-widget .quick-input-box input', { visible: true, timeout: 10_000 });
        await page.keyboard.type('Workspaces: Manage Workspace Trust');
        await sleep(500);
        await page.keyboard.press('Enter');
    }
    const trust = await until(async () => {
        for (const button of await page.$$('.workspace-trust-editor .monaco-button')) {
            if ((await button.evaluate((b) => (b.textContent ?? '').trim())) === 'Trust') {
                return button;
            }
        }
        return false;
    }, 'the Trust button of the Workspace Trust editor', 15_000);
    await trust.click();
    await until(() => page.$$eval('.statusbar-item', (items) =>
        items.every((item) => !/Restricted Mode/i.test(item.textContent ?? ''))), 'Restricted Mode to end', 15_000);
    // The Workspace Trust editor opens as a modal over the workbench: close it.
    await page.keyboard.press('Escape');
    await until(async () => !(await page.$('.workspace-trust-editor')), 'the Workspace Trust editor to close', 10_000, 250)
        .catch(() => undefined);

    step('see the diagnostic once trusted');
    result.seen.problemsOnceTrusted = await problems(page, config.diagnosticSource, config.errorCode, config.diagnosticTimeoutMs);
    result.seen.serversOnceTrusted = processesBelow(config.codeServerPid, config.serverModule);
}

const SCENARIOS = { fix: fixScenario, untrusted: untrustedScenario };

let browser;
let page;
try {
    step('launch Chromium');
    browser = await puppeteer.launch({
        executablePath: config.chromium,
        headless: true,
        args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--no-first-run',
            '--disable-sync',
            '--disable-quic',
            '--window-size=1400,900',
        ],
        defaultViewport: { width: 1400, height: 900 },
        protocolTimeout: 60_000,
    });
    page = await browser.newPage();
    page.on('pageerror', (error) => (result.pageErrors ??= []).push(String(error)));
    await SCENARIOS[config.scenario](page);
    step('done');
    result.ok = true;
    // Checks made after the browser is gone may still fail: the pytest side keeps this one then.
    await page.screenshot({ path: config.finalScreenshot }).catch(() => undefined);
} catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
    await screenshot(page, `${config.scenario}-failed-at-${result.steps.length}`);
    try {
        result.seen.notificationsAtFailure = await notifications(page);
        result.seen.editorLinesAtFailure = await editorLines(page);
    } catch {
        // The page itself may be what failed.
    }
} finally {
    result.elapsedMs = Date.now() - started;
    fs.writeFileSync(resultPath, JSON.stringify(result, null, 2));
    await browser?.close().catch(() => undefined);
}
process.exit(0);
