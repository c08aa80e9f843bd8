/** A worker that never finishes. */
setInterval(() => {}, 60_000);
