/**
 * The known name closest to `input`, when it is close enough to be a typo: edit distance at most
 * a third of the name (and at least 2), or the same name in another case.
 */
export function closestName(input: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of known) {
    if (name.toLowerCase() === input.toLowerCase()) return name;
    const distance = editDistance(input.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  return bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/**
 * Throws a TypeError for the first key of `value` that is not in `known`, naming the closest
 * known key so a typo is a one-line fix instead of a silently ignored setting.
 */
export function checkKeys(where: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const suggestion = closestName(key, known);
    const hint = suggestion ? `did you mean "${suggestion}"?` : `known options: ${known.join(', ')}.`;
    throw new TypeError(`${where}: unknown option "${key}"; ${hint}`);
  }
}

/** Levenshtein distance with one row of memory: option names are short. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
