import type { Embedder } from '../ml/embedder.ts';
import type { ComputePool } from './pool.ts';

const embedders = new WeakMap<ComputePool, Promise<Embedder>>();

/** The configured embedding model run on the pool's threads: the same vectors as `getEmbedder()`, computed off this thread. */
export function poolEmbedder(pool: ComputePool): Promise<Embedder> {
  let embedder = embedders.get(pool);
  if (!embedder) {
    embedder = pool.runTask('embed-texts', { texts: [] }).then(({ modelId, dimension }) => ({
      modelId,
      dimension,
      embed: async (texts: readonly string[]) => (texts.length === 0 ? [] : (await pool.runTask('embed-texts', { texts })).vectors),
    }));
    embedder.catch(() => embedders.delete(pool));
    embedders.set(pool, embedder);
  }
  return embedder;
}
