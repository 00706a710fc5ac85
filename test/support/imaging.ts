import { valPngs } from '../../src/imaging/test-support/shared-images.ts';
import { imageTriageHandler } from '../../workers/image-triage.ts';
import type { TestApi } from './api.ts';

/**
 * Uploads a real chest X-ray PNG (PneumoniaMNIST val) for a patient and triages it in this process, so
 * tests that run without workers still have an image with a result, thumbnail and heatmap.
 */
export async function uploadTriagedImage(api: TestApi, patientId: string): Promise<{ imageId: string; jobId: string }> {
  const [png] = valPngs('pneumonia', 1);
  const res = await api.call('POST', `/v1/patients/${patientId}/images`, { role: 'doctor', body: png!.bytes, headers: { 'content-type': 'image/png' } });
  if (res.status !== 202) throw new Error(`image upload answered ${res.status}: ${await res.text()}`);
  const { imageId, jobId } = (await res.json()) as { imageId: string; jobId: string };
  await imageTriageHandler(api.runtime)({ imageId, requestId: null }, { jobId, attempt: 1, final: true });
  return { imageId, jobId };
}
