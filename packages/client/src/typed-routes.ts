import type { RouteContract, RouteMap } from '@roomcast/protocol';

/** Route types of a server's route table (`RoutesOf<typeof routes>` from `@roomcast/server`). */
export type RouteType<TRoutes extends RouteMap> = keyof TRoutes & string;
export type RouteAction<TRoutes extends RouteMap, TType extends RouteType<TRoutes>> = keyof TRoutes[TType] &
  string;

/** What `request(type, action, data)` must send. */
export type RouteData<
  TRoutes extends RouteMap,
  TType extends RouteType<TRoutes>,
  TAction extends RouteAction<TRoutes, TType>,
> = TRoutes[TType][TAction] extends RouteContract<infer TData, unknown> ? TData : unknown;

/** What `request(type, action, data)` resolves with. */
export type RouteResponse<
  TRoutes extends RouteMap,
  TType extends RouteType<TRoutes>,
  TAction extends RouteAction<TRoutes, TType>,
> = TRoutes[TType][TAction] extends RouteContract<unknown, infer TResponse> ? TResponse : unknown;

/**
 * The arguments after `type, action`: the data, required when the route's data cannot be
 * `undefined` (a schema that needs it), then `rest`.
 */
export type DataArgs<TData, TRest extends unknown[] = []> = undefined extends TData
  ? [data?: TData, ...rest: TRest]
  : [data: TData, ...rest: TRest];
