import type { RouteContract, StandardSchemaV1 } from '@roomcast/protocol';
import type { WebSocket } from 'ws';
import type { RouteMiddleware } from './middleware/compose';

/** The guide's handler signature: `(ws, clientId, data)`; the return value becomes the reply. */
export type RouteHandler<TData = unknown, TResponse = unknown> = (
  ws: WebSocket,
  clientId: string,
  data: TData,
) => TResponse | Promise<TResponse>;

/** A controller class: methods named after actions, `this.webSocketServer` set by the base class. */
export type ControllerClass = new (options: { webSocketServer: never }) => object;

/**
 * `TData`: what the handler gets (the schema's output); `TInput`: what a client sends (the
 * schema's input; they differ when the schema transforms).
 */
export interface RouteDefinition<TData = unknown, TResponse = unknown, TInput = TData> {
  type: string;
  action: string;
  /** A plain function handler. */
  handler?: RouteHandler<TData, TResponse>;
  /** The guide's controller class; the method named `action` handles the route. */
  controller?: ControllerClass;
  /** The guide's controller file name, loaded from `controllersDirectory`. */
  controllerName?: string;
  /** Any Standard Schema validator (zod, valibot, arktype): data failing it gets INVALID_MESSAGE. */
  schema?: StandardSchemaV1<TInput, TData>;
  /**
   * This route's middleware, run in order after the server's (`server.use`) and before the schema
   * check and the handler: `middleware: [perRoomRateLimit(5, 1_000)]`.
   */
  middleware?: RouteMiddleware[];
}

/**
 * Declares a typed route. The route's data type comes from its schema, and the response type
 * from the handler, so `@roomcast/client` can type `request()` from the route list.
 *
 * @example
 * const send = route({ type: 'chat', action: 'send', schema: z.object({ text: z.string() }),
 *   handler: (ws, clientId, data) => ({ ok: true, length: data.text.length }) });
 */
export function route<
  const TType extends string,
  const TAction extends string,
  TData,
  TResponse,
  TInput = TData,
>(
  definition: RouteDefinition<TData, TResponse, TInput> & { type: TType; action: TAction },
): TypedRoute<TType, TAction, TInput, Awaited<TResponse>> {
  return definition as unknown as TypedRoute<TType, TAction, TInput, Awaited<TResponse>>;
}

export type TypedRoute<TType extends string, TAction extends string, TData, TResponse> = RouteDefinition & {
  readonly type: TType;
  readonly action: TAction;
  /** Type-level only: what the client sends (the schema's input) and gets back. */
  readonly __contract?: RouteContract<TData, TResponse>;
};

type AnyTypedRoute = TypedRoute<string, string, unknown, unknown>;

/**
 * The route table of a list of typed routes, for `createClient<RoutesOf<typeof routes>>()`.
 * @example type Routes = RoutesOf<typeof routes>;
 */
export type RoutesOf<TRoutes extends readonly AnyTypedRoute[]> = {
  [R in TRoutes[number] as R['type']]: {
    [A in Extract<TRoutes[number], { type: R['type'] }> as A['action']]: NonNullable<A['__contract']>;
  };
};
