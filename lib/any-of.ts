/**
 * One pattern matching any of several: long alternations are written in parts (each a literal, so it is
 * checked as a pattern where it is written) and joined by `|` into the same pattern as a single literal.
 */
export function anyOf(parts: readonly RegExp[], flags = 'i'): RegExp {
  return new RegExp(parts.map((re) => re.source).join('|'), flags);
}
