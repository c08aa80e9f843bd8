/**
 * Serverless mode: each run is one Dataproc Serverless batch, named after the run. submit() creates it and returns
 * as soon as Dataproc accepted it (the long-running operation is never awaited); status() reads the batch's state;
 * cancel() cancels the batch's operation.
 */
import { protos, type BatchControllerClient } from '@google-cloud/dataproc';
import type { Logger } from '../../log.js';
import type { EngineStatus, RunHandle } from './engine.js';
import { Code, enumName, isApiError } from './dataproc-api.js';
import { dataprocIdFor, labelValueFor } from './dataproc-ids.js';
import { failed, jobArgs, messageOr, outcomeInFolderOrNull, succeededIf, type DataprocContext } from './dataproc-shared.js';

type Batch = protos.google.cloud.dataproc.v1.IBatch;
const BatchState = protos.google.cloud.dataproc.v1.Batch.State;

export class ServerlessRuns {
  private readonly parent: string;

  constructor(
    private readonly ctx: DataprocContext,
    private readonly client: BatchControllerClient,
  ) {
    this.parent = `projects/${ctx.settings.projectId}/locations/${ctx.settings.region}`;
  }

  batchId(run: RunHandle): string {
    return dataprocIdFor(run.id, this.ctx.settings.idPrefix);
  }

  batchName(run: RunHandle): string {
    return `${this.parent}/batches/${this.batchId(run)}`;
  }

  /** The CreateBatchRequest for a run. */
  request(run: RunHandle): protos.google.cloud.dataproc.v1.ICreateBatchRequest {
    const s = this.ctx.settings;
    const executionConfig: protos.google.cloud.dataproc.v1.IExecutionConfig = { ttl: { seconds: s.batchTtlSeconds } };
    if (s.serviceAccount) {
      executionConfig.serviceAccount = s.serviceAccount;
      // Runtimes 3.0+ run as the submitter unless told otherwise; with a service account given, run as it.
      executionConfig.authenticationConfig = { userWorkloadAuthenticationType: 'SERVICE_ACCOUNT' };
    }
    if (s.subnetworkUri) executionConfig.subnetworkUri = s.subnetworkUri;
    if (s.stagingBucket) executionConfig.stagingBucket = s.stagingBucket;
    return {
      parent: this.parent,
      batchId: this.batchId(run),
      batch: {
        pysparkBatch: { mainPythonFileUri: s.mainPythonFileUri, pythonFileUris: [...s.pythonFileUris], args: jobArgs(run, s) },
        runtimeConfig: { version: s.runtimeVersion, properties: { ...s.sparkProperties } },
        environmentConfig: { executionConfig },
        labels: { ...s.labels, app: 'moviehunter', run: labelValueFor(run.id) },
      },
    };
  }

  async submit(run: RunHandle, log?: Logger): Promise<void> {
    const request = this.request(run);
    try {
      // Resolves once Dataproc has accepted the batch; its operation is left alone (status() reads the batch).
      await this.ctx.calls.call('createBatch', (options) => this.client.createBatch(request, options));
      log?.info({ batchId: request.batchId }, 'Dataproc batch created');
    } catch (err) {
      if (!isApiError(err, Code.ALREADY_EXISTS)) throw err;
      log?.info({ batchId: request.batchId }, 'Dataproc batch already exists: submitted before');
    }
  }

  async status(run: RunHandle, log?: Logger): Promise<EngineStatus> {
    const batch = await this.getBatch(run);
    const id = this.batchId(run);
    if (batch === null) {
      return (await outcomeInFolderOrNull(run.folder)) ?? failed(run, `no Dataproc batch for this run (${this.batchName(run)})`, log);
    }
    const state = enumName(batch.state, BatchState);
    switch (state) {
      case 'SUCCEEDED':
        return succeededIf(run, `the Dataproc batch ${id} succeeded but wrote no _SUCCESS in ${run.folder.location}`, log);
      case 'FAILED':
        return failed(run, `the Dataproc batch ${id} failed: ${messageOr(batch.stateMessage, 'no message')}${outputHint(batch)}`, log);
      case 'CANCELLED':
        return failed(run, `the Dataproc batch ${id} was cancelled${batch.stateMessage ? `: ${messageOr(batch.stateMessage, '')}` : ''}`, log);
      default:
        // PENDING, RUNNING, CANCELLING (and anything newer): not finished.
        return { state: 'running' };
    }
  }

  async cancel(run: RunHandle, reason: string, log?: Logger): Promise<void> {
    const batch = await this.getBatch(run);
    if (batch === null) return;
    const state = enumName(batch.state, BatchState);
    if (state !== 'PENDING' && state !== 'RUNNING') return;
    if (!batch.operation) {
      log?.warn({ batchId: this.batchId(run) }, 'the Dataproc batch names no operation to cancel');
      return;
    }
    try {
      await this.ctx.calls.call('cancelOperation', (options) => this.client.cancelOperation(protos.google.longrunning.CancelOperationRequest.create({ name: batch.operation! }), options));
      log?.info({ batchId: this.batchId(run), reason }, 'Dataproc batch cancelled');
    } catch (err) {
      if (isApiError(err, Code.NOT_FOUND) || isApiError(err, Code.FAILED_PRECONDITION)) return; // finished meanwhile
      throw err;
    }
  }

  /** The run's batch, or null when Dataproc has none. */
  private async getBatch(run: RunHandle): Promise<Batch | null> {
    try {
      const [batch] = await this.ctx.calls.call('getBatch', (options) => this.client.getBatch({ name: this.batchName(run) }, options));
      return batch;
    } catch (err) {
      if (isApiError(err, Code.NOT_FOUND)) return null;
      throw err;
    }
  }
}

function outputHint(batch: Batch): string {
  const uri = batch.runtimeInfo?.outputUri;
  return uri ? ` (driver output: ${uri})` : '';
}
