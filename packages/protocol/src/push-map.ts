/**
 * The events a server pushes, at the type level: `type` -> `action` -> the push's `data`. One
 * map, written once and imported by both sides, types the client's `on(type, action, handler)`
 * and the server's broadcast calls.
 *
 * @example
 * type Pushes = { chat: { message: { text: string; from: string } } };
 */
export type PushMap = { [type: string]: { [action: string]: unknown } };

/** True for the permissive default (`PushMap` itself): no map was given. */
type IsOpen<TPushes extends PushMap> = string extends keyof TPushes ? true : false;

/** Push types of a map (`string` for the default). */
export type PushType<TPushes extends PushMap> = keyof TPushes & string;

/** Actions of a push type (`string` for the default). */
export type PushAction<TPushes extends PushMap, TType extends PushType<TPushes>> = keyof TPushes[TType] &
  string;

/** The `data` of one push (`unknown` for the default). */
export type PushData<
  TPushes extends PushMap,
  TType extends PushType<TPushes>,
  TAction extends PushAction<TPushes, TType>,
> = TPushes[TType][TAction];

/**
 * What a broadcast call sends as its `data`: one of the map's frames `{ type, action, data }`,
 * or anything at all when no map was given (the untyped default stays as it always was).
 */
export type PushMessage<TPushes extends PushMap = PushMap> =
  IsOpen<TPushes> extends true
    ? unknown
    : {
        [T in PushType<TPushes>]: {
          [A in PushAction<TPushes, T>]: { type: T; action: A; data: TPushes[T][A] };
        }[PushAction<TPushes, T>];
      }[PushType<TPushes>];
