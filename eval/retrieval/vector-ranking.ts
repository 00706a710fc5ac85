/** Exact nearest-neighbour ranking over unit vectors (dot product = cosine), for in-memory search and evaluations. */
export function rankByDotProduct<Id>(
  query: Float32Array,
  items: ReadonlyArray<{ id: Id; vector: Float32Array }>,
  limit: number,
): Array<{ id: Id; score: number }> {
  const scored = items.map(({ id, vector }) => {
    let score = 0;
    for (let i = 0; i < query.length; i++) score += query[i]! * vector[i]!;
    return { id, score };
  });
  return scored.sort((a, b) => b.score - a.score).slice(0, limit);
}
