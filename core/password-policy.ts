/** The password rules the server enforces and the forms show. */
export const PASSWORD_POLICY = {
  minLength: 10,
  maxLength: 200,
  /** Fewer distinct characters than this (`aaaaaaaaaa`, `1212121212`) is refused. */
  minDistinct: 4,
} as const;
