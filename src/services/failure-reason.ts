/**
 * Why a user's recommendations failed, in the user's words. The run's own reason (engine output, file paths, "in this
 * process") stays in the store, the logs and on the operations page; users only learn what kind of failure it was.
 */
export function userFailureReason(internal: string): string {
  if (/timed out/i.test(internal)) return 'computing them took too long';
  return 'the computation stopped before it finished';
}
