/**
 * scripts/deploy-gcp: MovieHunter on Google Cloud in one command (App Engine, Firestore, Cloud Storage, Dataproc,
 * Cloud Functions, Cloud Scheduler, Secret Manager). See README "Deploying to Google Cloud" and --help.
 * Exit codes: 0 done, 1 a step failed (the message says which and why), 2 a bad command line.
 */
import { GcloudCommandError, GcloudMissingError } from './deploy/gcloud.js';
import { deploy, DeployError } from './deploy/deploy.js';
import { IndexFileError } from './deploy/indexes.js';
import { parseDeployArgs, USAGE, UsageError } from './deploy/options.js';
import { StagingError } from './deploy/staging.js';
import { AppYamlError } from './deploy/app-yaml.js';

async function main(): Promise<number> {
  let command;
  try {
    command = parseDeployArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`deploy-gcp: ${err.message}\n`);
    return 2;
  }
  if (command.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    await deploy(command.options);
    return 0;
  } catch (err) {
    const known = [DeployError, GcloudCommandError, GcloudMissingError, IndexFileError, StagingError, AppYamlError].some((type) => err instanceof type);
    process.stderr.write(`deploy-gcp: ${known ? (err as Error).message : ((err as Error).stack ?? String(err))}\n`);
    if (!command.options.dryRun) process.stderr.write('deploy-gcp: nothing after that step ran; fix the cause and run the same command again (steps already done are skipped)\n');
    return 1;
  }
}

process.exitCode = await main();
