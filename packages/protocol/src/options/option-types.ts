import { closestName } from './closest-name';

/**
 * What one option accepts. `expected` says it in words for messages ("a number", "an object");
 * `check` adds a line per problem with `value` at `path` to `problems`, and nothing when it fits.
 */
export interface OptionType {
  readonly expected: string;
  readonly required?: boolean;
  readonly check: (value: unknown, path: string, problems: string[]) => void;
}

/** An object option: its keys, each with its type. Unknown keys are problems, at any depth. */
export interface ObjectOptionType<T = Record<string, unknown>> extends OptionType {
  readonly keys: OptionsSchema<T>;
}

/**
 * One type for every key of `T`, no more and no less: a schema written as `OptionsSchema<T>`
 * fails typecheck when `T` gains an option the schema does not describe (or loses one it has).
 */
export type OptionsSchema<T> = { readonly [K in keyof T]-?: OptionType };

/** `the string "3000"`, `undefined`, `an array`: what a message says the user passed. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  return value !== null && typeof value === 'object' ? 'an object' : String(value);
}

function fail(problems: string[], path: string, expected: string, value: unknown): void {
  problems.push(`${path || 'options'} must be ${expected}, got ${describeValue(value)}`);
}

function leaf(expected: string, test: (value: unknown) => boolean): OptionType {
  return { expected, check: (value, path, problems) => test(value) || fail(problems, path, expected, value) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

export const stringOption = /* @__PURE__ */ leaf('a string', value => typeof value === 'string');
export const booleanOption = /* @__PURE__ */ leaf('true or false', value => typeof value === 'boolean');
export const functionOption = /* @__PURE__ */ leaf('a function', value => typeof value === 'function');
/** Anything but null: a client, a logger, a server instance, options passed on untouched. */
export const anyObjectOption = /* @__PURE__ */ leaf(
  'an object',
  value => typeof value === 'object' && value !== null,
);
export const anyOption = /* @__PURE__ */ leaf('anything', () => true);

/**
 * A number that passes `test`, described as `expected` ("a positive number"). The wrong kind of
 * value is told "must be a number" first: `got the string "3000"` needs no range to be fixed.
 */
export function numberOption(
  expected = 'a number',
  test: (value: number) => boolean = () => true,
): OptionType {
  return {
    expected,
    check(value, path, problems) {
      if (typeof value !== 'number' || Number.isNaN(value)) fail(problems, path, 'a number', value);
      else if (!test(value)) fail(problems, path, expected, value);
    },
  };
}

/** One of these exact values (strings, numbers, `false`). */
export function oneOfOption(...values: readonly (string | number | boolean)[]): OptionType {
  return leaf(values.map(value => JSON.stringify(value)).join(' or '), value =>
    values.includes(value as string),
  );
}

/** An object with these keys: any other key is reported, with the nearest known one as a hint. */
export function objectOption<T = Record<string, unknown>>(keys: OptionsSchema<T>): ObjectOptionType<T> {
  const schema = keys as Readonly<Record<string, OptionType>>;
  const known = Object.keys(schema);
  return {
    expected: 'an object',
    keys,
    check(value, path, problems) {
      if (!isPlainObject(value)) return fail(problems, path, 'an object', value);
      for (const key of Object.keys(value)) {
        if (Object.hasOwn(schema, key)) continue;
        const near = closestName(key, known);
        problems.push(
          `unknown option "${join(path, key)}"; ${near ? `did you mean "${join(path, near)}"?` : `known: ${known.join(', ')}`}`,
        );
      }
      for (const key of known) {
        const type = schema[key] as OptionType;
        const at = join(path, key);
        if (value[key] !== undefined) type.check(value[key], at, problems);
        else if (type.required) fail(problems, at, type.expected, undefined);
      }
    },
  };
}

export function arrayOption(item: OptionType): OptionType {
  return {
    expected: 'an array',
    check(value, path, problems) {
      if (!Array.isArray(value)) return fail(problems, path, 'an array', value);
      value.forEach((entry, i) => {
        item.check(entry, `${path}[${i}]`, problems);
      });
    },
  };
}

/** Any of `types`. Given an object, an object type's own problems say more than "must be false or ...". */
export function unionOption(...types: OptionType[]): OptionType {
  const expected = types.map(type => type.expected).join(' or ');
  return {
    expected,
    check(value, path, problems) {
      let closest: string[] | undefined;
      for (const type of types) {
        const found: string[] = [];
        type.check(value, path, found);
        if (found.length === 0) return;
        if ('keys' in type && isPlainObject(value)) closest = found;
      }
      if (closest) problems.push(...closest);
      else fail(problems, path, expected, value);
    },
  };
}

/** A value of several shapes (a Redis URL, a Cluster, ioredis options): `choose` picks the schema. */
export function pickOption(expected: string, choose: (value: unknown) => OptionType): OptionType {
  return { expected, check: (value, path, problems) => choose(value).check(value, path, problems) };
}

/** A key the options object must have. */
export function requiredOption(type: OptionType): OptionType {
  return { ...type, required: true };
}
