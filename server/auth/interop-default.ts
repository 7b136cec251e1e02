/**
 * next-auth is CommonJS with `exports.default`. Bundlers (Next, vitest) hand `import x from` the
 * default export; Node's own ESM loader (tsx at `npm start`) hands the whole `exports` object.
 * This returns the default export either way.
 */
export function interopDefault<T>(imported: T): T {
  const wrapped = imported as { default?: T; __esModule?: boolean };
  return typeof imported === 'object' && imported !== null && wrapped.default !== undefined
    ? wrapped.default
    : imported;
}
