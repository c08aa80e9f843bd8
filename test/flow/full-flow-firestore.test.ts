/** The whole flow with STORE=firestore against Google's Firestore emulator (the inprocess engine trains). */
import { resetFirestore, startFirestoreEmulator } from '../support/firestore-emulator.js';
import { describeFullFlow } from './full-flow-scenario.js';

describeFullFlow('full flow, Firestore store (emulator)', {
  env: { STORE: 'firestore' },
  engine: 'inprocess',
  readyWithinMs: 60_000,
  async setUp() {
    const emulator = await startFirestoreEmulator();
    const projectId = `flow-${process.pid}`;
    // The client library finds the emulator through this variable, as on a developer's machine.
    const previous = process.env.FIRESTORE_EMULATOR_HOST;
    process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
    return {
      env: { GOOGLE_CLOUD_PROJECT: projectId },
      async stop() {
        await resetFirestore(emulator.host, projectId).catch(() => undefined);
        if (previous === undefined) delete process.env.FIRESTORE_EMULATOR_HOST;
        else process.env.FIRESTORE_EMULATOR_HOST = previous;
        await emulator.stop();
      },
    };
  },
});
