/** The stop's time limits, the same for a process alone and for every process of a cluster. */

/** A stop finishes within this, whatever the store, the engine or the log's reader are doing; then the process exits. */
export const SHUTDOWN_DEADLINE_MS = 10_000;
/** The last log lines get this long to leave before the exit (a reader that is gone must not hold the process). */
export const LAST_LINES_MS = 500;
