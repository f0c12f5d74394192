/**
 * A copy of `pattern` without the `g` and `y` flags. Those make `test()` remember `lastIndex`, so
 * the same room or audience would be allowed on one call and refused on the next.
 */
export function statelessRegExp(pattern: RegExp): RegExp {
  return pattern.global || pattern.sticky
    ? new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''))
    : pattern;
}
