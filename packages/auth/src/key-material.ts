import { createPrivateKey, createPublicKey, createSecretKey, KeyObject } from 'node:crypto';

/**
 * The algorithms Roomcast accepts. `none` is absent on purpose: an unsigned token would let any
 * client choose its own user id.
 */
export const JWT_ALGORITHMS = Object.freeze([
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
] as const);
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** What a key given as text or bytes may be: a PEM string, its bytes, or a node:crypto KeyObject. */
export type KeyInput = string | Buffer | KeyObject;

// jsonwebtoken refuses an EC key on the wrong curve only when a token arrives; checking here turns
// that into a TypeError at start-up instead of every login failing.
const EC_CURVES: Readonly<Record<string, string>> = {
  ES256: 'prime256v1',
  ES384: 'secp384r1',
  ES512: 'secp521r1',
};

const KNOWN: ReadonlySet<string> = new Set(JWT_ALGORITHMS);

export function isHmac(algorithm: JwtAlgorithm): boolean {
  return algorithm.startsWith('HS');
}

/** Checks an algorithm list and returns a frozen copy without duplicates. */
export function checkAlgorithms(value: unknown, where: string): readonly JwtAlgorithm[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(`${where}: algorithms must be a non-empty array, e.g. ['HS256'] or ['RS256'].`);
  }
  for (const algorithm of value) {
    if (typeof algorithm === 'string' && algorithm.toLowerCase() === 'none') {
      throw new TypeError(
        `${where}: 'none' is not allowed: unsigned tokens let anyone claim any user id. Sign tokens with HS256 or RS256.`,
      );
    }
    if (typeof algorithm !== 'string' || !KNOWN.has(algorithm)) {
      throw new TypeError(
        `${where}: unknown algorithm ${String(algorithm)}; use one of ${JWT_ALGORITHMS.join(', ')}.`,
      );
    }
  }
  const algorithms = [...new Set(value as JwtAlgorithm[])];
  const hmac = algorithms.filter(isHmac).length;
  // One key serves every listed algorithm; mixing HMAC with public-key algorithms is the setup of
  // the key-confusion attack (a public key used as an HMAC secret), so it is refused outright.
  if (hmac !== 0 && hmac !== algorithms.length) {
    throw new TypeError(
      `${where}: do not mix HMAC (HS*) and public-key algorithms in one list; use a secret with HS* or a public key with RS*/PS*/ES*.`,
    );
  }
  return Object.freeze(algorithms);
}

/**
 * The shortest HMAC secret accepted. Anyone holding one token can test guesses of the secret
 * offline, as fast as their hardware hashes: a short secret is a forgeable one.
 */
export const MIN_HMAC_SECRET_BYTES = 16;

/** RFC 7518 section 3.2: an HMAC key must be at least as long as the hash output. */
const HMAC_KEY_BYTES: Readonly<Record<string, number>> = { HS256: 32, HS384: 48, HS512: 64 };

const GENERATE_SECRET = `node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"`;

/** Turns a shared secret into a secret KeyObject (strings as UTF-8, like jsonwebtoken). */
export function toSecretKey(secret: unknown, where: string): KeyObject {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new TypeError(`${where}: secret must be a non-empty string or Buffer (is JWT_SECRET_KEY set?).`);
  }
  if (bytes.length < MIN_HMAC_SECRET_BYTES) {
    throw new TypeError(
      `${where}: the secret is ${bytes.length} bytes; HMAC secrets must be at least ${MIN_HMAC_SECRET_BYTES} ` +
        `(32 or more for HS256, RFC 7518 section 3.2), or one token is enough to guess it offline. ` +
        `Generate one with: ${GENERATE_SECRET}`,
    );
  }
  return createSecretKey(bytes);
}

/**
 * Why `key` is weaker than RFC 7518 section 3.2 asks for the listed HMAC algorithms (shorter than
 * their hash), or undefined when it is not. Accepted, but worth a warning at start-up.
 */
export function weakSecretWarning(
  key: KeyObject,
  algorithms: readonly JwtAlgorithm[],
  where: string,
): string | undefined {
  if (key.type !== 'secret') return undefined;
  const size = key.symmetricKeySize ?? 0;
  const needed = Math.max(0, ...algorithms.map(algorithm => HMAC_KEY_BYTES[algorithm] ?? 0));
  if (size >= needed) return undefined;
  return (
    `${where}: the secret is ${size} bytes; RFC 7518 section 3.2 asks for at least ${needed} for ` +
    `${algorithms.join(', ')} (the hash size). Use a longer random secret: ${GENERATE_SECRET}`
  );
}

/** Turns a PEM public key or KeyObject into a public KeyObject that fits every algorithm. */
export function toPublicKey(key: unknown, algorithms: readonly JwtAlgorithm[], where: string): KeyObject {
  if (isKeyObject(key)) {
    if (key.type !== 'public') {
      throw new TypeError(
        `${where}: publicKey is a ${key.type} key; pass the public key (createPublicKey(privateKey)) so the server never holds the signing key.`,
      );
    }
    return checkFits(key, algorithms, where);
  }
  if (!isPemInput(key))
    throw new TypeError(`${where}: publicKey must be a PEM string, a Buffer or a KeyObject.`);
  if (/PRIVATE KEY-----/.test(key.toString())) {
    throw new TypeError(`${where}: publicKey is a private key; pass the public key PEM instead.`);
  }
  let parsed: KeyObject;
  try {
    parsed = createPublicKey(key);
  } catch {
    throw new TypeError(`${where}: publicKey is not a valid PEM public key ("-----BEGIN PUBLIC KEY-----").`);
  }
  return checkFits(parsed, algorithms, where);
}

/** Turns a PEM private key or KeyObject into a private KeyObject that fits `algorithm`. */
export function toPrivateKey(key: unknown, algorithm: JwtAlgorithm, where: string): KeyObject {
  if (isKeyObject(key)) {
    if (key.type !== 'private') throw new TypeError(`${where}: privateKey must be a private key.`);
    return checkFits(key, [algorithm], where);
  }
  if (!isPemInput(key))
    throw new TypeError(`${where}: privateKey must be a PEM string, a Buffer or a KeyObject.`);
  let parsed: KeyObject;
  try {
    parsed = createPrivateKey(key);
  } catch {
    throw new TypeError(`${where}: privateKey is not a valid PEM private key.`);
  }
  return checkFits(parsed, [algorithm], where);
}

function checkFits(key: KeyObject, algorithms: readonly JwtAlgorithm[], where: string): KeyObject {
  const type = key.asymmetricKeyType;
  for (const algorithm of algorithms) {
    const fits =
      (type === 'rsa' && /^(RS|PS)/.test(algorithm)) ||
      (type === 'rsa-pss' && algorithm.startsWith('PS')) ||
      (type === 'ec' && key.asymmetricKeyDetails?.namedCurve === EC_CURVES[algorithm]);
    if (!fits) {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      const what = `a ${type ?? 'unknown'}${curve ? ` (${curve})` : ''} key`;
      throw new TypeError(
        `${where}: ${what} cannot be used with ${algorithm}; ` +
          'RSA keys take RS*/PS*, EC keys ES256 (P-256), ES384 (P-384), ES512 (P-521).',
      );
    }
  }
  return key;
}

function isKeyObject(value: unknown): value is KeyObject {
  return value instanceof KeyObject;
}

function isPemInput(value: unknown): value is string | Buffer {
  return (typeof value === 'string' && value.length > 0) || Buffer.isBuffer(value);
}
