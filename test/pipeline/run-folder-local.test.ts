/** The RunFolder contract on the local disk (run-folder.test.ts covers the run-folder files themselves). */
import { join } from 'node:path';
import { localRunFolder, localRunFolders } from '../../src/pipeline/run-files.js';
import { runFolderContract } from './run-folder-contract.js';
import { tempDir } from './support.js';

runFolderContract('local disk', async () => {
  const root = tempDir('run-files-');
  let n = 0;
  return {
    folder: () => localRunFolder(join(root, `folder-${++n}`)),
    folders: () => localRunFolders(join(root, `runs-${++n}`)),
  };
});
