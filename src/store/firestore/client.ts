/**
 * The Firestore client the adapter makes when it is not handed one. Project, database and (for the emulator) host
 * come from the options and the environment as the client library reads them: FIRESTORE_EMULATOR_HOST wins over
 * everything and connects without credentials.
 */
import { Firestore } from '@google-cloud/firestore';
import type { Settings } from '@google-cloud/firestore';

/** Streamed reads (get, query, count) the library's own retry loop covers; gax's second loop inside it is turned off. */
const STREAMED_METHODS = ['BatchGetDocuments', 'RunQuery', 'RunAggregationQuery'] as const;

/**
 * Settings the adapter adds to every client it makes. The library retries an unreachable backend in two nested
 * loops on streamed reads (gax's, about 7 s, inside Firestore's own 5 attempts: some 45 s for one failed get); with
 * gax's loop off, a read still gets Firestore's 5 attempts (about 8 s of backoff), which bounds how long close()
 * waits for calls in flight. Writes keep the library's retries; the store's own deadline bounds what callers wait.
 */
export const CLIENT_DEFAULTS: Settings = {
  gaxServerStreamingRetries: true,
  clientConfig: {
    interfaces: {
      'google.firestore.v1.Firestore': {
        retry_codes: { adapter_no_retry: [] },
        methods: Object.fromEntries(
          STREAMED_METHODS.map((method) => [method, { retry_codes_name: 'adapter_no_retry' }]),
        ),
      },
    },
  },
};

/**
 * A client with the adapter's defaults and these settings, e.g. `{ projectId, host: '127.0.0.1:8080', ssl: false }`
 * for an emulator (no credentials are looked up when ssl is false).
 */
export function createFirestoreClient(settings: Settings = {}): Firestore {
  return new Firestore({ ...CLIENT_DEFAULTS, ...settings });
}
