import { z } from 'zod';

/**
 * `models/<id>/manifest.json` for an image model. Everything the service needs to run a model comes from here,
 * so a validated ONNX classifier with another input size, layout or label set can be dropped in without code changes.
 */
export const imageModelManifestSchema = z
  .object({
    /** Only manifests of this kind are image models; other folders under models/ are ignored. */
    kind: z.literal('image-classifier'),
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, dot, dash, underscore'),
    name: z.string().min(1),
    version: z.string().min(1),
    intendedUse: z.string().min(1),
    modality: z.object({
      description: z.string().min(1),
      /** DICOM Modality (0008,0060) values this model accepts, e.g. CR, DX. */
      dicomModalities: z.array(z.string().min(1)).default([]),
    }),
    /** ONNX file name inside the model folder. */
    onnx: z.string().regex(/^[^/\\]+\.onnx$/, 'a file name ending in .onnx, no folders'),
    input: z.object({
      name: z.string().min(1),
      width: z.int().min(1).max(4096),
      height: z.int().min(1).max(4096),
      channels: z.union([z.literal(1), z.literal(3)]),
      layout: z.enum(['NCHW', 'NHWC']),
      /** center-crop keeps the aspect ratio (crop the long side); stretch resizes each axis independently. */
      resize: z.enum(['center-crop', 'stretch']),
      /** A fixed batch dimension baked into the graph; absent means the batch dimension is dynamic. */
      batchSize: z.int().min(1).optional(),
      /** tensor = (pixel × scale − mean[c]) / std[c], per channel. */
      normalisation: z.object({
        scale: z.number().positive(),
        mean: z.array(z.number()).min(1),
        std: z.array(z.number().positive()).min(1),
      }),
    }),
    output: z.object({
      name: z.string().min(1),
      /** softmax: mutually exclusive classes; sigmoid: independent findings, one logit per label. */
      activation: z.enum(['softmax', 'sigmoid']),
    }),
    /** Output labels, in the order of the output logits. */
    labels: z.array(z.string().min(1)).min(1),
    /** Labels that make a study urgent; the triage score is the highest calibrated probability among them. */
    positiveLabels: z.array(z.string().min(1)).min(1),
    calibration: z
      .object({ method: z.literal('temperature'), temperature: z.number().positive() })
      .default({ method: 'temperature', temperature: 1 }),
    /** Operating threshold on the calibrated score: at or above is urgent. */
    threshold: z.number().min(0).max(1),
    validation: z.object({
      split: z.string().min(1),
      n: z.int().min(1),
      auroc: z.number().min(0).max(1),
      sensitivity: z.number().min(0).max(1),
      specificity: z.number().min(0).max(1),
    }).loose(),
    quality: z
      .object({
        /** Images whose shorter side is below this are unreadable; defaults to the model's shorter input side. */
        minSide: z.int().min(1).optional(),
      })
      .default({}),
  })
  .superRefine((m, ctx) => {
    const { channels, normalisation } = m.input;
    for (const key of ['mean', 'std'] as const) {
      if (normalisation[key].length !== channels) {
        ctx.addIssue({ code: 'custom', path: ['input', 'normalisation', key], message: `needs ${channels} value(s), one per channel` });
      }
    }
    if (new Set(m.labels).size !== m.labels.length) ctx.addIssue({ code: 'custom', path: ['labels'], message: 'labels must be unique' });
    for (const label of m.positiveLabels) {
      if (!m.labels.includes(label)) ctx.addIssue({ code: 'custom', path: ['positiveLabels'], message: `${label} is not in labels` });
    }
    // The label reported below the threshold is the most probable non-positive label, so one must exist.
    if (m.labels.every((l) => m.positiveLabels.includes(l))) {
      ctx.addIssue({ code: 'custom', path: ['labels'], message: 'needs at least one label that is not positive (e.g. normal)' });
    }
    if (m.output.activation === 'softmax' && m.labels.length < 2) {
      ctx.addIssue({ code: 'custom', path: ['labels'], message: 'softmax needs at least two labels' });
    }
  });

export type ImageModelManifest = z.infer<typeof imageModelManifestSchema>;
