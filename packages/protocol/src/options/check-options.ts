import { ErrorCode } from '../codes';
import type { OptionType } from './option-types';

/** A misused options object: a TypeError (as always) with a `code` and every problem found. */
export interface InvalidOptionsError extends TypeError {
  readonly code: typeof ErrorCode.INVALID_OPTIONS;
  /** One line per problem, each naming the option's full path. */
  readonly problems: readonly string[];
}

/**
 * The error every options check throws: `"<where>: <problem>"`, or the count and one problem a
 * line when there are several, so one run of the program shows every mistake, not the first.
 */
export function invalidOptions(where: string, problems: readonly string[]): InvalidOptionsError {
  const message =
    problems.length === 1
      ? `${where}: ${problems[0]}`
      : `${where}: ${problems.length} problems in the options:\n- ${problems.join('\n- ')}`;
  return Object.assign(new TypeError(message), { code: ErrorCode.INVALID_OPTIONS, problems });
}

/**
 * Checks `options` against its schema and throws one `InvalidOptionsError` listing every unknown
 * key (with the nearest known one when it looks like a typo) and every value of the wrong type.
 *
 * @example
 * checkOptions('WebSocketServer', { rooms: { clientCanJoinMultipleRoom: true } }, SERVER_OPTIONS_SCHEMA);
 * // TypeError: WebSocketServer: unknown option "rooms.clientCanJoinMultipleRoom";
 * //   did you mean "rooms.clientCanJoinMultipleRooms"?
 */
export function checkOptions(where: string, options: unknown, schema: OptionType, path = ''): void {
  const problems: string[] = [];
  schema.check(options, path, problems);
  if (problems.length > 0) throw invalidOptions(where, problems);
}
