import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PASSWORD_POLICY } from '../../core/password-policy.ts';
import { AppError } from '../errors.ts';

const COMMON = new Set(
  readFileSync(join(import.meta.dirname, '..', 'data', 'common-passwords.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim().toLowerCase())
    .filter((l) => l && !l.startsWith('#')),
);

/** What is wrong with a new password (length, too common, too simple, built on the username), or null. */
export function passwordProblem(password: string, username: string): string | null {
  const { minLength, maxLength, minDistinct } = PASSWORD_POLICY;
  if ([...password].length < minLength) return `must have at least ${minLength} characters`;
  if (password.length > maxLength) return `must have at most ${maxLength} characters`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'is one of the most common passwords';
  if (new Set(lower).size < minDistinct) return `must use at least ${minDistinct} different characters`;
  const name = username.toLowerCase();
  if (name.length >= 3 && lower.includes(name)) return 'must not contain the username';
  return null;
}

/** Throws 400 weak_password naming the field when the password breaks the policy. */
export function assertStrongPassword(field: string, password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new AppError('weak_password', `${field}: ${problem}`, { field, rule: problem });
}
