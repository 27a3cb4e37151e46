/**
 * The one phone rule of staff intake, the portal and the server: a mainland mobile (11 digits, 13x–19x) or a
 * landline with its area code (0 + 2–3 digits, then 7–8 digits; a hyphen after the area code is allowed).
 * Spaces are ignored and a +86 / 86 prefix of a mobile is dropped, so '138 1234 5678' and '+8613812345678'
 * are the same number.
 */
const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?[1-9]\d{6,7}$/;

/** What the rule asks, in words (form hints and error messages). */
export const PHONE_RULE = {
  zh: '请填写11位手机号或带区号的固定电话（如 0991-1234567）',
  en: 'Enter an 11-digit mobile number or a landline with its area code (e.g. 0991-1234567)',
} as const;

/** The number in its stored form (spaces removed, +86 dropped), or null when it is no valid number. */
export function normalisePhone(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let s = raw.replace(/[\s\u3000]/g, '');
  if (/^(\+?86)1\d{10}$/.test(s)) s = s.replace(/^\+?86/, '');
  return MOBILE.test(s) || LANDLINE.test(s) ? s : null;
}

/** Whether the text is a valid mobile or landline number under the rule above. */
export function isValidPhone(raw: string | null | undefined): boolean {
  return normalisePhone(raw) !== null;
}
