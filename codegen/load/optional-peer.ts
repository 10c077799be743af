/** The optional peer dependencies the CLI loads only when it needs them. */
const PEERS = ['ts-morph', 'drizzle-kit', 'esbuild'] as const;

/** What Node (import, require) and esbuild (a bundled `import`) say when a package is not installed. */
const notFound = (name: string) => new RegExp(`Cannot find (?:module|package) '${name}'|Could not resolve "${name}"`);

/**
 * The optional peer whose absence caused `error` (looked for along its `cause` chain), or
 * `undefined`.
 * @example
 * missingPeer(new Error("Cannot find package 'esbuild' imported from …")) // 'esbuild'
 */
export function missingPeer(error: unknown): (typeof PEERS)[number] | undefined {
  const seen = new Set<unknown>();
  for (let e = error; e !== undefined && e !== null && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const message = String((e as { message?: unknown }).message ?? e);
    const peer = PEERS.find((name) => notFound(name).test(message));
    if (peer) return peer;
  }
  return undefined;
}

/**
 * The one line the CLI prints for a missing optional peer.
 * @example
 * missingPeerMessage('ts-morph')
 * // 'drizzle-concurrency: ts-morph is not installed; the codegen needs it: npm install --save-dev ts-morph'
 */
export function missingPeerMessage(peer: string): string {
  return `drizzle-concurrency: ${peer} is not installed; the codegen needs it: npm install --save-dev ${peer}`;
}
