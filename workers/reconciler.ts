import { IMAGE_TRIAGE_JOB, imageModels, installedModelKeys } from '../src/imaging/jobs.ts';
import { NOTE_PIPELINE_JOB } from '../src/notes/jobs.ts';
import { imagingPorts } from '../src/imaging/service.ts';
import { moreImagesToTriageThan, reenqueueUntriagedImages } from '../src/imaging/triage-service.ts';
import { enqueueUnfinishedNotes, moreUnfinishedNotesThan } from '../src/notes/service.ts';
import type { Runtime } from '../src/runtime.ts';

/**
 * The database is the source of truth and Redis may have lost everything (it keeps nothing on disk),
 * so this re-enqueues every note not yet processed at the current pipeline version. Job ids are
 * deterministic, so notes already waiting in the queue are not duplicated.
 */
export async function reconcileNotes(runtime: Runtime, batchSize = 500): Promise<number> {
  const count = await enqueueUnfinishedNotes(runtime, batchSize);
  if (count > 0) runtime.logger.info({ notes: count }, 'reconciler re-enqueued unfinished notes');
  return count;
}

/**
 * Re-enqueues images whose triage has not finished, and unread images triaged by a model version that is no
 * longer installed. Without loadable image models it logs and leaves images waiting, so notes keep flowing.
 */
export async function reconcileImages(runtime: Runtime, batchSize = 500): Promise<number> {
  let installed: string[];
  try {
    installed = installedModelKeys(await imageModels(runtime.config));
  } catch (error) {
    runtime.logger.error({ error: (error as Error).message }, 'image models cannot be loaded; images wait untriaged');
    return 0;
  }
  const count = await reenqueueUntriagedImages(imagingPorts(runtime), installed, batchSize);
  if (count > 0) runtime.logger.info({ images: count }, 'reconciler re-enqueued untriaged images');
  return count;
}

/** Every kind of unfinished background work. */
export async function reconcile(runtime: Runtime): Promise<void> {
  await reconcileNotes(runtime);
  await reconcileImages(runtime);
}

/**
 * True when the database holds more unfinished notes or images than the queue holds jobs for them: jobs were
 * lost (Redis flushed, restarted empty, keys deleted). Cheap enough to ask every few seconds: it reads at most
 * one row more than the queue holds. Unfinished work that merely has not been enqueued yet (a submit between
 * its insert and its enqueue) also counts; reconciling then is a no-op, as job ids are deterministic.
 */
export async function hasLostWork(runtime: Runtime): Promise<boolean> {
  const depth = await runtime.queue.counts();
  if (await moreUnfinishedNotesThan(runtime.db, depth[NOTE_PIPELINE_JOB] ?? 0)) return true;
  let installed: string[];
  try {
    installed = installedModelKeys(await imageModels(runtime.config));
  } catch {
    return false; // reconcileImages says why; images wait until the models load
  }
  const imagesQueued = depth[IMAGE_TRIAGE_JOB] ?? 0;
  return moreImagesToTriageThan(runtime.db, installed, imagesQueued);
}
