// "Which recorded requests look most like this one": Jaccard similarity over tokens, for the log line of an
// unmatched request. Only for people reading logs; matching itself never uses it.

export function nearestKeys(tokens: readonly string[], candidates: ReadonlyMap<string, readonly string[]>, count = 3): string[] {
  const mine = new Set(tokens);
  const scored: { key: string; score: number; shared: number }[] = [];
  for (const [key, theirs] of candidates) {
    const other = new Set(theirs);
    let shared = 0;
    for (const token of mine) if (other.has(token)) shared++;
    const union = mine.size + other.size - shared;
    if (shared > 0) scored.push({ key, score: shared / union, shared });
  }
  // Sharing only the method and path says little when others share parameters too.
  const best = Math.max(0, ...scored.map((s) => s.shared));
  return scored
    .filter((s) => best < 2 || s.shared >= 2)
    .sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1))
    .slice(0, count)
    .map((s) => s.key);
}
