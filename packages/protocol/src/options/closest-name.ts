/**
 * The known name closest to `input`, when it is close enough to be a typo: edit distance at most
 * a third of the name (and at least 2), or one name inside the other, ignoring case.
 */
export function closestName(input: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const a = input.toLowerCase();
  for (const name of known) {
    const b = name.toLowerCase();
    // One name inside the other (`maxPayloadBytes` for `maxPayload`) is a typo however long the rest.
    const inside = Math.min(a.length, b.length) > 3 && (a.includes(b) || b.includes(a));
    const distance = Math.min(editDistance(a, b), inside ? 1 : Number.POSITIVE_INFINITY);
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best && bestDistance <= Math.max(2, best.length / 3) ? best : undefined;
}

/** Levenshtein distance in one row (option names are short); `diagonal` is the row above's j-1. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
