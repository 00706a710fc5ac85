/**
 * The image-triage job's work, and finding the images whose job was lost. Idempotent (Medplum style): it re-reads
 * the image and its stored file, stops if either is gone or the image is already triaged with the model version it
 * would use now, and writes the heatmap (content-addressed) before the one update that records the result, so a
 * duplicate or resumed run changes nothing. The result is a triage aid, not a diagnosis.
 */
import { renderHeatmap } from './heatmap.ts';
import { claimImageForTriage, completeImageTriage, failImageTriage, findImage, listImagesToTriage } from './repository.ts';
import type { ImagingPorts } from './service.ts';
import { triageImage } from './triage.ts';

/** What a triage run did. */
export type TriageOutcome =
  | { done: 'nothing'; why: 'image gone' | 'image gone or already triaged with this model version' }
  | { done: 'triaged'; modelId: string; modelVersion: string; elapsedMs: number };

type TriagePorts = Pick<ImagingPorts, 'db' | 'store' | 'decode' | 'models'>;

/**
 * Triages one image with the model that fits it now. On the job's last attempt (`final`) a failure is recorded
 * on the image before it is thrown again; earlier failures leave the image to the retry.
 */
export async function runImageTriage(ports: TriagePorts, imageId: string, final: boolean): Promise<TriageOutcome> {
  const record = await findImage(ports.db, imageId);
  if (!record) return { done: 'nothing', why: 'image gone' };
  try {
    const bytes = await ports.store.read(record.storagePath);
    if (!bytes) throw new Error('The stored image file is missing');
    const image = await ports.decode(bytes, bytes.length);
    const model = (await ports.models()).select(image);
    const { id: modelId, version: modelVersion } = model.manifest;
    if (!(await claimImageForTriage(ports.db, record.id, modelId, modelVersion))) {
      return { done: 'nothing', why: 'image gone or already triaged with this model version' };
    }
    const result = await triageImage(image, model);
    const heatmapPath =
      result.priority === 'unreadable'
        ? null
        : await ports.store.putDerived(record.contentSha256, `heatmap.${modelId}@${modelVersion}`, await renderHeatmap(image, model));
    await completeImageTriage(ports.db, record.id, {
      modelId,
      modelVersion,
      threshold: result.threshold,
      priority: result.priority,
      score: result.score,
      label: result.label,
      probabilities: result.probabilities,
      quality: { ...result.quality },
      heatmapPath,
    });
    return { done: 'triaged', modelId, modelVersion, elapsedMs: result.elapsedMs };
  } catch (error) {
    if (final) await failImageTriage(ports.db, record.id, (error as Error).message.slice(0, 500));
    throw error;
  }
}

/**
 * Re-enqueues every image whose triage has not finished, and every unread image triaged by a model version not
 * among the `installed` ones (`id@version` keys); returns how many. Job ids are deterministic, so images already
 * queued are not doubled.
 */
export async function reenqueueUntriagedImages(ports: Pick<ImagingPorts, 'db' | 'enqueueTriage'>, installed: readonly string[], batchSize = 500): Promise<number> {
  let after: { receivedAt: Date; id: string } | undefined;
  let count = 0;
  for (;;) {
    const batch = await listImagesToTriage(ports.db, installed, batchSize, after);
    for (const image of batch) await ports.enqueueTriage(image.id, null);
    count += batch.length;
    if (batch.length < batchSize) break;
    after = batch[batch.length - 1];
  }
  return count;
}

/** True when more images wait for triage (as reenqueueUntriagedImages counts them) than `queued` jobs cover: reads at most one row more. */
export async function moreImagesToTriageThan(db: ImagingPorts['db'], installed: readonly string[], queued: number): Promise<boolean> {
  return (await listImagesToTriage(db, installed, queued + 1)).length > queued;
}
