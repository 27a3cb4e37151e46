// Query keys whose values are secrets or personal data: never written to a log.
const SECRET_KEYS = /^(api_key|apikey|token|access_token|password|querycode|query_code|receipt|code|phone|mobile|tel|secret|session)$/i;
// Mainland mobile numbers (and longer digit runs that may be accounts or ids of people) inside paths or values.
const PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;

/** A URL as it may be logged: secret query values replaced and phone numbers masked. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(PHONE, '[phone]');
  if (q < 0) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      let name = key;
      try {
        name = decodeURIComponent(key);
      } catch {
        // keep the raw key
      }
      if (eq >= 0 && SECRET_KEYS.test(name)) return `${key}=[redacted]`;
      return pair.replace(PHONE, '[phone]');
    })
    .join('&');
  return `${path}?${query}`;
}

/** Paths pino removes from every log line: credentials in headers, secrets and phone numbers in bodies. */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-portal-session"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.api_key',
  '*.apiKey',
  '*.queryCode',
  '*.receipt',
  '*.phone',
  '*.secret',
  'body.*.phone',
];

/** Logger options for the requests and the jobs: redacted paths and a request serializer with a safe URL. */
export function loggerOptions(level: string, stream?: { write(line: string): void }) {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { method: string; url: string; host?: string; ip?: string }) => ({
        method: req.method,
        url: redactUrl(req.url),
        host: req.host,
        remoteAddress: req.ip,
      }),
    },
    ...(stream ? { stream } : {}),
  };
}
