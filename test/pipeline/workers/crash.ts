/** A worker that dies without a word, as a native crash or an OOM kill would look. */
process.exit(7);
