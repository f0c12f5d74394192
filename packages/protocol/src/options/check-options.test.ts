import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../codes';
import { checkOptions } from './check-options';
import { closestName } from './closest-name';
import {
  arrayOption,
  booleanOption,
  describeValue,
  numberOption,
  objectOption,
  oneOfOption,
  requiredOption,
  stringOption,
  unionOption,
} from './option-types';

interface Inner {
  size?: number;
}
interface Options {
  name: string;
  inner?: Inner | false;
  tags?: string[];
  mode?: 'a' | 'b';
  on?: boolean;
}

const schema = objectOption<Options>({
  name: requiredOption(stringOption),
  inner: unionOption(
    oneOfOption(false),
    objectOption<Inner>({ size: numberOption('a positive number', n => n > 0) }),
  ),
  tags: arrayOption(stringOption),
  mode: oneOfOption('a', 'b'),
  on: booleanOption,
});

function problems(value: unknown): readonly string[] {
  try {
    checkOptions('Thing', value, schema);
  } catch (error) {
    expect((error as { code?: string }).code).toBe(ErrorCode.INVALID_OPTIONS);
    expect(error).toBeInstanceOf(TypeError);
    return (error as { problems: readonly string[] }).problems;
  }
  return [];
}

describe('checkOptions', () => {
  it('accepts what fits, with optional keys absent or undefined', () => {
    expect(problems({ name: 'x' })).toEqual([]);
    expect(problems({ name: 'x', inner: false, tags: [], mode: 'b', on: undefined })).toEqual([]);
    expect(problems({ name: 'x', inner: { size: 3 } })).toEqual([]);
  });

  it('names unknown keys at any depth, with a suggestion when one is close', () => {
    expect(problems({ name: 'x', inner: { sise: 1 }, mdoe: 'a', zzzzzz: 1 })).toEqual([
      'unknown option "mdoe"; did you mean "mode"?',
      'unknown option "zzzzzz"; known: name, inner, tags, mode, on',
      'unknown option "inner.sise"; did you mean "inner.size"?',
    ]);
  });

  it('says what it got: a string, undefined, an array, null, a function', () => {
    expect(problems({ name: 1, tags: 'a', on: 'yes', mode: null, inner: () => {} })).toEqual([
      'name must be a string, got 1',
      'inner must be false or an object, got a function',
      'tags must be an array, got the string "a"',
      'mode must be "a" or "b", got null',
      'on must be true or false, got the string "yes"',
    ]);
    expect(problems({ tags: ['a', 2] })).toEqual([
      'name must be a string, got undefined',
      'tags[1] must be a string, got 2',
    ]);
    expect(problems([])).toEqual(['options must be an object, got an array']);
    expect(problems({ name: 'x', inner: { size: Number.NaN } })).toEqual([
      'inner.size must be a number, got NaN',
    ]);
    expect(describeValue(undefined)).toBe('undefined');
  });

  it('throws one error listing every problem, with the count', () => {
    expect(() => checkOptions('Thing', { mdoe: 'a' }, schema)).toThrow(
      'Thing: 2 problems in the options:\n- unknown option "mdoe"; did you mean "mode"?\n- name must be a string, got undefined',
    );
    expect(() => checkOptions('Thing', { name: 'x', on: 1 }, schema)).toThrow(
      'Thing: on must be true or false, got 1',
    );
  });

  it('suggests a name only when it looks like a typo', () => {
    expect(
      closestName('clientCanJoinMultipleRoom', ['clientCanJoinMultipleRooms', 'maxRoomsPerClient']),
    ).toBe('clientCanJoinMultipleRooms');
    expect(closestName('maxPayloadBytes', ['maxPayload', 'maxConnections'])).toBe('maxPayload');
    expect(closestName('WEBSOCKET', ['websocket'])).toBe('websocket');
    expect(closestName('redisHost', ['name', 'webserver'])).toBeUndefined();
  });

  it('keeps a schema and its options type in step (a key more or less fails typecheck)', () => {
    // @ts-expect-error `on` is missing: adding an option to the type without the schema fails.
    objectOption<Options>({
      name: stringOption,
      inner: stringOption,
      tags: stringOption,
      mode: stringOption,
    });
    objectOption<Inner>({
      size: stringOption,
      // @ts-expect-error `extra` is not an option of Inner.
      extra: stringOption,
    });
  });
});
