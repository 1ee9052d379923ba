/**
 * What may be logged about a failure. knex prefixes database errors with the failed SQL with
 * every bound value inlined (device secrets, phonebook tokens, User-Agents), so for those only
 * the database's own message and SQLSTATE are kept.
 */
export function safeError(error: unknown): { name?: string; code?: string; message: string } {
  const candidate = error as { name?: unknown; code?: unknown; severity?: unknown; message?: unknown } | undefined;
  const name = typeof candidate?.name === 'string' ? candidate.name : undefined;
  const code = typeof candidate?.code === 'string' ? candidate.code : undefined;
  let message = typeof candidate?.message === 'string' ? candidate.message : String(error);
  const fromDatabase = candidate?.severity !== undefined || (code !== undefined && /^[0-9A-Z]{5}$/.test(code));
  if (fromDatabase) {
    const cut = message.lastIndexOf(' - ');
    message = cut >= 0 ? message.slice(cut + 3) : message;
  }
  return { name, code, message: message.slice(0, 300) };
}
