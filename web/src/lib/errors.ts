import type { TFunction } from 'i18next';
import { ApiError } from '../api/client.ts';

/** A message for the user from an API error: the known codes in the UI language, the server's words for the rest. */
export function errorText(e: unknown, t: TFunction): string {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : t('common.unknownError');
  if (e.code === 'guard_failed' && typeof e.details.guard === 'string') {
    return t(`guard.${e.details.guard}`, { defaultValue: e.message });
  }
  const known = t(`errors.${e.code}`, { defaultValue: '' });
  // The server's message is English for developers and logs; the user reads the code's words and the field's name.
  if (!known) return t('common.unknownError');
  if (e.code !== 'validation_failed' || !e.field) return known;
  const label = t(`field.${e.field}`, { defaultValue: '', returnObjects: true });
  return typeof label === 'string' && label ? `${known}：${label}` : known;
}

/** The form path of a field the server named (`customer.phone` → ['customer', 'phone']). */
export function fieldPath(e: unknown): string[] | null {
  return e instanceof ApiError && e.field ? e.field.split('.') : null;
}
