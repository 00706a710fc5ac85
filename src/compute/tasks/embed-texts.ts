import { getEmbedder } from '../../ml/embedder.ts';

export interface EmbedTextsInput {
  readonly texts: readonly string[];
}

export interface EmbedTextsOutput {
  readonly modelId: string;
  readonly dimension: number;
  /** Unit-length vectors in input order. */
  readonly vectors: Float32Array[];
}

/** Embeddings from the configured embedding model, with the model's id and dimension (an empty list asks only for those). */
export async function embedTextsTask(input: EmbedTextsInput): Promise<EmbedTextsOutput> {
  const embedder = await getEmbedder();
  const vectors = input.texts.length > 0 ? await embedder.embed(input.texts) : [];
  return { modelId: embedder.modelId, dimension: embedder.dimension, vectors };
}
