/**
 * Serialises server restarts. Settings, the interpreter and the restart
 * command can all ask for a restart at once (the Python extension fires its
 * interpreter event at start-up, often while the first start is still
 * running); two restarts interleaving would start two servers. A request that
 * arrives while a restart runs is folded into one more restart after it, so
 * the last request always wins and at most one runs at a time.
 */
export class RestartGuard {
    private again = false;
    private loop: Promise<void> | undefined;

    /**
     * Args:
     *   task: one restart; it should report its own failures.
     *   onError: called with anything `task` throws; the guard keeps working.
     */
    constructor(
        private readonly task: () => Promise<void>,
        private readonly onError: (error: unknown) => void = () => undefined,
    ) {}

    /** Asks for a restart; resolves once no restart is pending any more. */
    run(): Promise<void> {
        this.again = true;
        if (!this.loop) {
            this.loop = this.drain();
        }
        return this.loop;
    }

    get busy(): boolean {
        return this.loop !== undefined;
    }

    private async drain(): Promise<void> {
        while (this.again) {
            this.again = false;
            try {
                await this.task();
            } catch (error) {
                this.onError(error);
            }
        }
        // Cleared in the same turn the loop ends in, so a run() after this starts a new loop.
        this.loop = undefined;
    }
}
