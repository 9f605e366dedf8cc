/**
 * The secret scan of synthesized JSON: what would put a secret in a stack
 * (flaw 2). Shared by the synthesis suites.
 */

/** Every string in a JSON value, with the key it sits under; cdktf's `//` metadata (construct paths, output ids) is not configuration. */
export function strings(value: unknown, key = ''): [string, string][] {
  if (typeof value === 'string') return [[key, value]];
  if (Array.isArray(value)) return value.flatMap((v) => strings(v, key));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => (k === '//' ? [] : strings(v, k)));
  return [];
}

/**
 * Strings that would put a secret in the JSON: a secret-named field whose
 * value is not a Terraform expression, or a key=value pair (also inside an
 * expression, such as a jsonencode of a DSN) whose value is literal.
 * `secret_name` names a Kubernetes Secret (an Ingress's TLS certificate), it holds none.
 */
export function literalSecrets(json: unknown): string[] {
  const secretKey = /password|secret|token|private_key|access_key/i;
  return strings(json).flatMap(([key, text]) => {
    const found: string[] = [];
    if (secretKey.test(key) && !/_version$/.test(key) && key !== 'secret_name' && text !== '' && !/^\$\{[\s\S]+\}$/.test(text)) found.push(`${key}=${text}`);
    for (const match of text.matchAll(/(PASSWORD|SECRET|password|secret)[A-Z_]*=([^\s"]*)/g)) {
      if (!match[2].startsWith('${')) found.push(match[0]);
    }
    return found;
  });
}

/** Connection strings (`mongodb://user:password@…`) whose password is a literal rather than a Terraform reference. */
export function literalUriPasswords(json: unknown): string[] {
  return strings(json).flatMap(([, text]) =>
    [...text.matchAll(/mongodb(?:\+srv)?:\/\/[^:/\s"]+:([^@\s"]*)@/g)].filter((m) => !/^\$\{[^}]+\}$/.test(m[1])).map((m) => m[0]),
  );
}
