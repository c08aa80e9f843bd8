/** A worker whose job throws. */
await Promise.resolve();
throw new Error('disk on fire');
