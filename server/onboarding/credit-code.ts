/**
 * 统一社会信用代码 (unified social credit identifier, GB 32100-2015): 18 characters from a
 * 31-character alphabet (digits and capitals without I, O, S, V, Z). Character 1 is the
 * registering authority, 2 the kind of entity, 3–8 the administrative division code, 9–17 the
 * organisation code, and 18 a check character over the first 17.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character of the first 17 characters, or null if one is not in the alphabet. */
export function creditCodeCheckCharacter(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17[i] ?? '');
    if (value < 0) return null;
    sum += value * WEIGHTS[i]!;
  }
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** Why a credit code is not valid, or null. Lower case is not accepted: codes are printed in capitals. */
export function creditCodeProblem(code: string): string | null {
  if (code.length !== 18) return `a unified social credit code has 18 characters, not ${code.length}`;
  const bad = [...code].find((c) => !ALPHABET.includes(c));
  if (bad !== undefined) return `"${bad}" cannot appear in a unified social credit code`;
  if (!/^[0-9]{6}$/.test(code.slice(2, 8))) return 'characters 3–8 must be the administrative division code (digits)';
  const expected = creditCodeCheckCharacter(code.slice(0, 17));
  if (expected !== code[17]) return `the check character should be ${expected}, not ${code[17]}`;
  return null;
}
