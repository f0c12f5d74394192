import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isName, loadController, type ModuleFiles, type StandardSchemaV1 } from '@roomcast/protocol';
import type { RouteMiddleware } from './middleware/compose';
import type { ControllerClass, RouteDefinition, RouteHandler } from './routes';

export interface CompiledRoute {
  type: string;
  action: string;
  source: string;
  handler: RouteHandler;
  schema: StandardSchemaV1 | undefined;
  /** The route's own middleware, run after the server's (`server.use`). */
  middleware: readonly RouteMiddleware[];
}

export type RouteInput = Omit<CompiledRoute, 'schema' | 'middleware'> & {
  schema?: StandardSchemaV1 | undefined;
  middleware?: readonly RouteMiddleware[] | undefined;
};

export interface LoadContext {
  controllersDirectory: string | undefined;
  webSocketServer: unknown;
}

/** Node's file system for the shared controller loader of `@roomcast/protocol`. */
const NODE_FILES: ModuleFiles = {
  resolve: path.resolve,
  exists: existsSync,
  importFile: file => import(pathToFileURL(file).href),
};

/** `type` + `action` -> handler, built once at start-up from the guide's route forms. */
export class Router {
  readonly #routes = new Map<string, CompiledRoute>();
  readonly #controllers = new Map<ControllerClass, object>();

  get(type: string, action: string): CompiledRoute | undefined {
    return this.#routes.get(key(type, action));
  }

  list(): CompiledRoute[] {
    return [...this.#routes.values()];
  }

  /** Registers a handler; a second route for the same type and action is a mistake, not an override. */
  add(route: RouteInput): void {
    const name = `${route.type}.${route.action}`;
    if (!isName(route.type) || !isName(route.action)) {
      throw new TypeError(`Route ${name}: type and action must be 1-64 of [A-Za-z0-9_.:-]`);
    }
    const middleware = route.middleware ?? [];
    if (!Array.isArray(middleware) || middleware.some(fn => typeof fn !== 'function')) {
      throw new TypeError(`Route ${name}: middleware must be an array of functions (ctx, next) => ...`);
    }
    const id = key(route.type, route.action);
    if (this.#routes.has(id)) throw new TypeError(`Route ${name} is defined twice`);
    this.#routes.set(id, {
      type: route.type,
      action: route.action,
      source: route.source,
      handler: route.handler,
      schema: route.schema,
      middleware: [...middleware],
    });
  }

  /** Resolves every route definition to a handler: function, controller class or controller file. */
  async load(definitions: readonly RouteDefinition[], context: LoadContext): Promise<void> {
    for (const definition of definitions) {
      const { handler, source } = await this.#resolve(definition, context);
      this.add({
        type: definition.type,
        action: definition.action,
        source,
        handler,
        schema: definition.schema,
        middleware: definition.middleware,
      });
    }
  }

  async #resolve(
    definition: RouteDefinition,
    context: LoadContext,
  ): Promise<{ handler: RouteHandler; source: string }> {
    const name = `${definition.type}.${definition.action}`;
    if (definition.handler) return { handler: definition.handler, source: 'handler' };
    const Controller =
      definition.controller ??
      (definition.controllerName
        ? await loadController<ControllerClass>({
            directory: context.controllersDirectory,
            name: definition.controllerName,
            files: NODE_FILES,
            requester: `Route ${name}`,
          })
        : undefined);
    if (!Controller) throw new TypeError(`Route ${name} needs a handler, a controller or a controllerName`);
    let instance = this.#controllers.get(Controller);
    if (!instance) {
      instance = new Controller({ webSocketServer: context.webSocketServer as never });
      this.#controllers.set(Controller, instance);
    }
    const method = (instance as Record<string, unknown>)[definition.action];
    if (typeof method !== 'function') {
      throw new TypeError(
        `Route ${name}: controller ${Controller.name} has no method "${definition.action}"`,
      );
    }
    return { handler: method.bind(instance) as RouteHandler, source: Controller.name || 'controller' };
  }
}

function key(type: string, action: string): string {
  // Newline cannot appear in a valid name, so the key is unambiguous.
  return `${type}\n${action}`;
}
