/** `npm run admin -- grant USER` (or `revoke USER`): admin rights on an existing account, in the store the config names. */
import { openConfiguredStore } from '../src/bootstrap/store.js';
import { loadConfig } from '../src/config.js';
import { runAdminCommand } from '../src/operations/admin-command.js';

const store = await openConfiguredStore(loadConfig(process.env));
try {
  console.log(await runAdminCommand(process.argv.slice(2), store));
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
} finally {
  await store.close();
}
