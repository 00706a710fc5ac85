import type { Command } from 'commander';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CommandInputError, reportCommandError } from '../runtime.ts';

const disclaimer = 'A triage aid, not a diagnosis.';

export function register(program: Command): void {
  program
    .command('triage')
    .description(
      `Score chest X-ray images (PNG, JPEG or DICOM Part 10) with the on-device triage model; prints one JSON line per image with priority (urgent/routine/unreadable), calibrated score and label. ${disclaimer}`,
    )
    .argument('<files...>', 'image files')
    .option('--model <id>', 'model id from models/*/manifest.json (default: chosen by DICOM modality, else the first model)')
    .option('--heatmap-dir <dir>', 'also write an occlusion-heatmap PNG per image into this folder')
    .action(async (files: string[], opts: { model?: string; heatmapDir?: string }) => {
      await triageFiles(files, opts).catch(reportCommandError);
    });
}

/** One JSON line per file; a file that cannot be read, decoded or matched to a model gets an error line and exit code 1. */
async function triageFiles(files: string[], opts: { model?: string; heatmapDir?: string }): Promise<void> {
  const [{ decodeImage }, { triageImage }, { renderHeatmap }, { ImageIntakeError, ModelManifestError, NoSuitableModelError }] = await Promise.all([
    import('../../imaging/decode.ts'),
    import('../../imaging/triage.ts'),
    import('../../imaging/heatmap.ts'),
    import('../../imaging/errors.ts'),
  ]);
  const { loadModelRegistry } = await import('../../imaging/registry-files.ts');
  const { modelLocations } = await import('../../config/paths.ts');
  const registry = await loadModelRegistry(modelLocations().modelsDir).catch((error: unknown) => {
    throw error instanceof ModelManifestError ? new CommandInputError(error.message) : error;
  });
  try {
    if (registry.models.length === 0) throw new CommandInputError('No image models found under models/*/manifest.json');
    if (opts.model) registry.get(opts.model);
    if (opts.heatmapDir) await mkdir(opts.heatmapDir, { recursive: true });
    for (const file of files) {
      const fail = (code: string, message: string) => {
        process.stdout.write(JSON.stringify({ file, error: { code, message } }) + '\n');
        process.exitCode = 1;
      };
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (error) {
        fail('file_unreadable', (error as Error).message);
        continue;
      }
      try {
        const image = await decodeImage(bytes);
        const model = opts.model ? registry.get(opts.model) : registry.select(image);
        const result = await triageImage(image, model);
        let heatmap: string | undefined;
        if (opts.heatmapDir && result.priority !== 'unreadable') {
          heatmap = path.join(opts.heatmapDir, `${path.basename(file).replace(/\.[^.]+$/, '')}.heatmap.png`);
          await writeFile(heatmap, await renderHeatmap(image, model));
        }
        const { format, width, height, dicom } = image;
        process.stdout.write(JSON.stringify({ file, format, width, height, dicom, ...result, heatmap }) + '\n');
      } catch (error) {
        if (error instanceof ImageIntakeError) fail(error.code, error.message);
        else if (error instanceof NoSuitableModelError) fail('no_suitable_model', error.message);
        else throw error;
      }
    }
  } catch (error) {
    throw error instanceof NoSuitableModelError ? new CommandInputError(error.message) : error;
  } finally {
    await registry.close();
  }
}
