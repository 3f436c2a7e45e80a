// Word error rate: how far a transcript is from a reference, as substitutions + deletions +
// insertions over the reference's words, after lowercasing and stripping punctuation. Fed two texts;
// returns the counts too, so rates over several files can be pooled (sum errors / sum words).

export interface WordErrors {
  errors: number;
  /** Words in the normalised reference. */
  words: number;
  /** errors / words (0 for an empty reference and hypothesis; 1 per inserted word otherwise). */
  rate: number;
}

export function wer(reference: string, hypothesis: string): WordErrors {
  const ref = normalisedWords(reference);
  const hyp = normalisedWords(hypothesis);
  // Levenshtein over words, one row at a time.
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const row = [i];
    for (let j = 1; j <= hyp.length; j++) {
      const substitution = prev[j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
      row.push(Math.min(substitution, prev[j]! + 1, row[j - 1]! + 1));
    }
    prev = row;
  }
  const errors = prev[hyp.length]!;
  return { errors, words: ref.length, rate: ref.length ? errors / ref.length : errors };
}

/** Dashes and slashes separate words ("forty-two" is two); other punctuation, apostrophes included, goes. */
function normalisedWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[\p{Pd}/]/gu, ' ')
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .split(/\s+/)
    .filter(Boolean);
}
