/**
 * A failed render's message is stored on the target and in the job, both readable by admins and
 * operators who must not learn SIP or admin passwords. RenderError messages name fields, never
 * values; this is the second line of defence for anything else (a driver error quoting a value):
 * every known secret in the message is replaced. A new Error is returned so that no stack trace
 * still carries the original text.
 */
export function withoutSecrets(error: unknown, secrets: Iterable<string>): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  let message = original.message;
  // Longest first, so a secret that contains another is replaced whole.
  for (const secret of [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)) {
    message = message.split(secret).join('[secret]');
  }
  if (message === original.message) return original;
  const clean = new Error(message);
  clean.name = original.name;
  return clean;
}
