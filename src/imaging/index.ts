/**
 * On-device image triage: intake (sniff + decode PNG/JPEG/DICOM), model registry (ONNX per manifest),
 * calibrated triage with a quality gate, occlusion heatmaps and thumbnails. A triage aid, not a diagnosis.
 */
export { decodeImage } from './decode.ts';
export { defaultDecodeLimits, type DecodeLimits } from './raster.ts';
export { sniffImageType, type ImageType } from './sniff.ts';
export type { DecodedImage, DicomInfo } from './image.ts';
export { indicationProblem, INDICATION_MAX_LENGTH, normaliseIndication } from './indication.ts';
export * from './errors.ts';
export { imageModelManifestSchema, type ImageModelManifest } from './manifest.ts';
export type { ImageModel, ModelRegistry, RegistryOptions } from './registry.ts';
export { assessImageQuality, type QualityIssue, type QualityIssueCode, type QualityReport } from './quality.ts';
export { scoreImage, triageImage, type ModelScore, type TriagePriority, type TriageResult } from './triage.ts';
export { occlusionMap, renderHeatmap, renderOcclusionOverlay, type OcclusionMap, type RenderOptions } from './heatmap.ts';
export { renderThumbnail } from './thumbnail.ts';
